#!/usr/bin/env bash
# Run by the task Hello_Script (job Hello): what a script prints goes to the job's log.
echo "Hello from idm-toolkit: job $IDM_JOB, task $IDM_TASK."
