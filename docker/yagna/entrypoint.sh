#!/bin/sh
# Starts yagna with the app key from YAGNA_AUTOCONF_APPKEY (yagna creates it on
# first start), waits for the API, and on a testnet asks the faucet for test
# GLM once per data volume. On mainnet nothing is funded: fund the node's
# address yourself (`docker compose exec yagna yagna payment status`).
set -eu
: "${YAGNA_AUTOCONF_APPKEY:?set YAGNA_APPKEY in docker/.env (any long random string; the bridge uses the same)}"
NETWORK="${PAYMENT_NETWORK:-holesky}"
yagna service run &
pid=$!
i=0
until curl -fsS http://127.0.0.1:7465/version/get >/dev/null 2>&1; do
  i=$((i + 1)); [ "$i" -gt 120 ] && { echo "yagna did not start" >&2; exit 1; }
  sleep 1
done
case "$NETWORK" in
  polygon|mainnet) echo "payment network $NETWORK: not funding (real GLM)";;
  *) if [ ! -f "$YAGNA_DATADIR/.mirrorbench-funded-$NETWORK" ]; then
       yagna payment fund --network "$NETWORK" && touch "$YAGNA_DATADIR/.mirrorbench-funded-$NETWORK" || echo "faucet failed; fund later with: yagna payment fund --network $NETWORK" >&2
     fi;;
esac
yagna payment status --network "$NETWORK" || true
wait "$pid"
