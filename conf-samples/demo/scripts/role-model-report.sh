#!/usr/bin/env bash
# Run by the InvokeExpressionTask "Demo_RoleModelReport" of HR_RoleModel, after Demo_RoleModelSummary
# wrote Demo_RoleModelSummary.csv (header Metric,Value) into the export folder: prints the role
# model's figures (no order line: this run generated no order, nothing changed since the last one).
set -euo pipefail
csv="$IDM_EXPORT_FOLDER/Demo_RoleModelSummary.csv"
echo "Role model summary:"
tail -n +2 "$csv" | tr -d '\r' | awk -F, '{ printf "  %-30s %s\n", $1, $2 }'
