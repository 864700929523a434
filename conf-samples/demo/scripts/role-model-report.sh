#!/usr/bin/env bash
# Run by the InvokeExpressionTask "Demo_RoleModelReport" of HR_RoleModel, after Demo_RoleModelSummary
# wrote Demo_RoleModelSummary.csv (header Metric,Value) into the export folder: prints what the loop
# did (roles, the AD accounts by provisioning state after the verification, and this run's orders by
# change type and fulfilment; no order line when nothing changed since the last run).
set -euo pipefail
csv="$IDM_EXPORT_FOLDER/Demo_RoleModelSummary.csv"
echo "Provisioning loop summary:"
tail -n +2 "$csv" | tr -d '\r' | awk -F, '{ printf "  %-30s %s\n", $1, $2 }'
