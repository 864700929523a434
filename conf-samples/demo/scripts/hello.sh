#!/usr/bin/env bash
# Run by the InvokeExpressionTasks "Demo_Hello" (Demo_Main) and "Demo_HousekeepingHello" (Demo_Housekeeping).
echo "Hello from idm-toolkit: the Demo_Main job is running."
