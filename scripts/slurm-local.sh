#!/usr/bin/env bash
# A real single-node Slurm on localhost, for `make test-slurm`: installs Debian's slurm-wlm and munge when missing,
# writes a private slurm.conf (select/cons_tres, proctrack/linuxproc, task/none, ReturnToService=2, jobcomp/filetxt)
# under $SLURM_LOCAL (default /tmp/rnnrunner-slurm), and starts munged, slurmctld and slurmd without systemd.
#   scripts/slurm-local.sh start   # prints the SLURM_CONF to export
#   scripts/slurm-local.sh stop    # stops the daemons it started, by pid
set -euo pipefail
base=${SLURM_LOCAL:-/tmp/rnnrunner-slurm}
conf=$base/slurm.conf

install() {
  command -v sbatch >/dev/null && command -v slurmctld >/dev/null && command -v munged >/dev/null && return 0
  if [ "$(id -u)" != 0 ]; then echo "slurm-local: slurm-wlm and munge are not installed, and installing them needs root" >&2; return 1; fi
  echo "slurm-local: installing slurm-wlm and munge (about 45 s)..." >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q slurm-wlm munge >"$base/install.log" 2>&1 \
    || { echo "slurm-local: apt-get install slurm-wlm munge failed; see $base/install.log" >&2; return 1; }
}

write_conf() {
  local cpus memory
  cpus=$(nproc)
  memory=$(( $(awk '/MemTotal/ {print $2}' /proc/meminfo) / 1024 - 1024 ))
  mkdir -p "$base/state" "$base/spool" "$base/munge"
  cat >"$conf" <<CONF
ClusterName=rnnrunner-test
SlurmctldHost=localhost
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
StateSaveLocation=$base/state
SlurmdSpoolDir=$base/spool
SlurmctldPidFile=$base/slurmctld.pid
SlurmdPidFile=$base/slurmd.pid
SlurmctldLogFile=$base/slurmctld.log
SlurmdLogFile=$base/slurmd.log
SlurmctldPort=16817
SlurmdPort=16818
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
ReturnToService=2
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
JobCompType=jobcomp/filetxt
JobCompLoc=$base/jobcomp.log
MpiDefault=none
KillWait=10
NodeName=localhost CPUs=$cpus RealMemory=$memory State=UNKNOWN
PartitionName=test Nodes=localhost Default=YES MaxTime=INFINITE State=UP
CONF
}

start() {
  mkdir -p "$base"
  install
  write_conf
  export SLURM_CONF=$conf
  if ! munge -n >/dev/null 2>&1; then # no working munged (none, or a dead one): start ours
    mkdir -p /run/munge && chown munge:munge /run/munge 2>/dev/null || true
    chown munge:munge "$base/munge" 2>/dev/null || true
    if id munge >/dev/null 2>&1; then su -s /bin/sh munge -c "munged --pid-file=$base/munge/munged.pid" 2>/dev/null || munged --force --pid-file="$base/munge/munged.pid"
    else munged --force --pid-file="$base/munge/munged.pid"; fi
    echo started >"$base/started-munged"
    for _ in $(seq 1 50); do munge -n >/dev/null 2>&1 && break; sleep 0.1; done
  fi
  # Daemons a previous start left running (their pid files here) are stopped first, so they read this configuration.
  stop_daemons
  slurmctld -f "$conf"
  slurmd -f "$conf" -N localhost
  for _ in $(seq 1 60); do
    sinfo -h -o %T 2>/dev/null | grep -qE '^(idle|mixed|allocated)' && { echo "$conf"; return 0; }
    sleep 0.5
  done
  echo "slurm-local: the node never came up; see $base/slurmctld.log and $base/slurmd.log" >&2
  return 1
}

stop_daemons() {
  for daemon in slurmd slurmctld; do
    local pid
    pid=$(cat "$base/$daemon.pid" 2>/dev/null) || continue
    if kill "$pid" 2>/dev/null; then
      for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    fi
    rm -f "$base/$daemon.pid"
  done
}

stop() {
  stop_daemons
  if [ -f "$base/started-munged" ]; then
    kill "$(cat "$base/munge/munged.pid" 2>/dev/null)" 2>/dev/null || true
    rm -f "$base/started-munged"
  fi
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
