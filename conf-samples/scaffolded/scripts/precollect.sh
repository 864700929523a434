#!/bin/sh
# Refuses to collect a file that lost its header: the export would then read no column.
file="$(dirname "$0")/../data/HRPeople.csv"
head -n 1 "$file" | grep -q '^id,name$' || { echo "HRPeople.csv has no id,name header" >&2; exit 1; }
echo "HRPeople.csv: $(($(wc -l < "$file") - 1)) people"
