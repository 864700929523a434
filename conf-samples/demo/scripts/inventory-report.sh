#!/usr/bin/env bash
# Run by the InvokeExpressionTask "Demo_InventoryReport" of the Demo_Main job, after Demo_Inventory.
set -euo pipefail
csv="$IDM_EXPORT_FOLDER/demo-inventory.csv"
files=$(($(wc -l < "$csv") - 1))
bytes=$(tail -n +2 "$csv" | awk -F, '{ total += $2 } END { print total }')
echo "Job $IDM_JOB instance $IDM_JOB_INSTANCE: $files configuration files, $bytes bytes in all."
