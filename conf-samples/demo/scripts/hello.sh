#!/usr/bin/env bash
# Run by the InvokeExpressionTask "Demo_Hello" of the Demo_Main job.
echo "Hello from idm-toolkit: the Demo_Main job is running."
