#!/usr/bin/env bash
# Run by the InvokeExpressionTask "Demo_ItemsReport" of the Demo_Main job, after Demo_ExportItems
# wrote Demo_ExportItems.csv (header Kind,Items) into the export folder.
set -euo pipefail
csv="$IDM_EXPORT_FOLDER/Demo_ExportItems.csv"
tail -n +2 "$csv" | awk -F, '{ total += $2; kinds++ } END { printf "%d items of %d kinds are deployed\n", total, kinds }'
tail -n +2 "$csv" | sort -t, -k2 -nr | head -n 3 | awk -F, '{ printf "  %s: %s\n", $1, $2 }'
