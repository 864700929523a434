#!/usr/bin/env bash
# Run by the InvokeExpressionTask "Demo_PeopleReport" of Demo_Initialization, after Demo_PeopleQuery
# wrote Demo_PeopleQuery.csv (a query on the zz_ views) into the export folder: prints it as a table.
set -euo pipefail
csv="$IDM_EXPORT_FOLDER/Demo_PeopleQuery.csv"
awk -F, '{ printf "  %-8s %-40s %-12s %-34s %s\n", $1, $2, $3, $4, $5 }' "$csv" | tr -d '\r'
