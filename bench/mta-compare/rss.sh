#!/usr/bin/env bash
# rss.sh CGROUP: anonymous memory (RSS) of a cgroup in bytes (v1 memory.stat total_rss, v2 memory.stat anon).
if [ -d /sys/fs/cgroup/memory ]; then awk '/^total_rss / {print $2}' "/sys/fs/cgroup/memory/$1/memory.stat"
else awk '/^anon / {print $2}' "/sys/fs/cgroup/$1/memory.stat"; fi
