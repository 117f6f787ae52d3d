#!/usr/bin/env bash
# `npm test`: everything, self-installing, on a fresh Debian + Node 20 machine.
#   1. Chromium, the Vulkan loader, python3-torch and python3-onnx from apt when missing (as root;
#      otherwise says what to run)
#   2. npm ci when node_modules is missing or older than package-lock.json
#   3. typecheck (tsc), lint (biome), then Vitest once per project (node, browser, …)
# Every step runs even when an earlier one failed. typecheck and lint count as one test each.
# The last line printed is `N passed, N failed` (scripts/summarize.mjs); the exit code is non-zero
# when anything failed, including a Vitest run that crashed without writing its report.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

# WebGPU on SwiftShader (Vulkan on the CPU), for Dawn in Node and for Chromium.
export VK_ICD_FILENAMES=/usr/lib/chromium/vk_swiftshader_icd.json
export XDG_RUNTIME_DIR=/tmp

CHECKS=()  # --check NAME=EXIT arguments for summarize.mjs
RUNS=()    # --vitest NAME=FILE:EXIT arguments

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

# Ends the run early (no point going on), still with the summary as the last line.
give_up() {
  echo "$1" >&2
  echo "0 passed, 1 failed"
  exit 1
}

# --- 1. system packages --------------------------------------------------------------------------
# Chromium (with SwiftShader) and the Vulkan loader for browser and WebGPU tests; Debian's PyTorch and
# ONNX for the interchange tests, which run real PyTorch (/usr/bin/python3, not another python on PATH).
have_vulkan() {
  [ -e "/usr/lib/$(uname -m)-linux-gnu/libvulkan.so.1" ] && return 0
  { ldconfig -p || /sbin/ldconfig -p; } 2>/dev/null | grep -q 'libvulkan\.so\.1 '
}
have_python_module() { [ -x /usr/bin/python3 ] && /usr/bin/python3 -c "import $1" >/dev/null 2>&1; }
MISSING=()
[ -x /usr/bin/chromium ] || MISSING+=(chromium)
have_vulkan || MISSING+=(libvulkan1)
have_python_module torch || MISSING+=(python3-torch)
have_python_module onnx || MISSING+=(python3-onnx)
if [ ${#MISSING[@]} -gt 0 ]; then
  APT_CMD="apt-get update && apt-get install -y ${MISSING[*]}"
  if [ "$(id -u)" = 0 ]; then
    step "installing what the tests need from Debian: $APT_CMD"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update && apt-get install -y "${MISSING[@]}"
    rc=$?
    if [ $rc -ne 0 ]; then CHECKS+=(--check "apt-get install ${MISSING[*]}=$rc"); fi
  else
    give_up "react-nn's tests need Debian's ${MISSING[*]} (Chromium with SwiftShader for WebGPU, the Vulkan
loader, PyTorch and ONNX for /usr/bin/python3). Install them, then run npm test again:
    sudo sh -c '$APT_CMD'"
  fi
fi

RESULTS=.vitest-results  # logs and Vitest's JSON reports of this run (git-ignored)
rm -rf "$RESULTS"
mkdir -p "$RESULTS"

# --- 2. node_modules ---------------------------------------------------------------------------
# npm writes node_modules/.package-lock.json after every install; a package-lock.json newer than it
# (changed by git, or by an npm install elsewhere) means node_modules may not match it.
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  step "node_modules missing or older than package-lock.json: npm ci"
  npm ci --no-audit --no-fund >"$RESULTS/npm-ci.log" 2>&1
  rc=$?
  sed '/^npm error Clean install a project/,$d' "$RESULTS/npm-ci.log"  # its output, less the usage text
  if [ "$rc" -ne 0 ]; then CHECKS+=(--check "npm ci=$rc"); fi
fi

BIN=node_modules/.bin

# --- 3. typecheck and lint ---------------------------------------------------------------------
step "typecheck: tsc --noEmit"
"$BIN/tsc" --noEmit -p tsconfig.json
CHECKS+=(--check "typecheck=$?")

step "lint: biome check"
"$BIN/biome" check .
CHECKS+=(--check "lint=$?")

# --- 4. Vitest, one run per project -----------------------------------------------------------
# Separate runs, so that one project crashing (say, Chromium failing to start) cannot hide the results
# of the others. The projects are the ones vitest.config.ts defines that have test files.
PROJECTS=()
if "$BIN/vitest" list --filesOnly --json="$RESULTS/list.json" >/dev/null 2>"$RESULTS/list.err"; then
  mapfile -t PROJECTS < <(node scripts/summarize.mjs --projects "$RESULTS/list.json")
  if [ ${#PROJECTS[@]} -eq 0 ]; then echo "vitest: no test files in any project"; fi
else
  # The config itself is broken: one plain run shows why (and counts as a failure).
  PROJECTS=('')
fi

# A run that hangs (say, a browser that never answers) is stopped after 25 minutes and counts as failed,
# so the summary still comes within CI's 90 minutes.
for project in "${PROJECTS[@]}"; do
  name=${project:-all projects}
  json="$RESULTS/vitest-${name//[^A-Za-z0-9_-]/_}.json"
  step "vitest: $name"
  args=(run --reporter=default --reporter=json "--outputFile.json=$json")
  if [ -n "$project" ]; then args+=(--project "$project"); fi
  timeout --kill-after=30s 25m "$BIN/vitest" "${args[@]}"
  RUNS+=(--vitest "$name=$json:$?")
done

# --- 5. summary: the last line ----------------------------------------------------------------
node scripts/summarize.mjs "${CHECKS[@]}" "${RUNS[@]}"
