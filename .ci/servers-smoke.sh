#!/usr/bin/env bash
# Smoke test of .ci/servers.sh: start both stores, load a tiny named graph into each through its
# Graph Store Protocol endpoint with curl, replace it, update it, query it, stop.
# Uses its own run directory (KG_SERVERS_DIR, default /tmp/kg-servers-smoke) so that it does not
# disturb servers started for the test suite; a default port that is taken falls back to a free one.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
export KG_SERVERS_DIR=${KG_SERVERS_SMOKE_DIR:-/tmp/kg-servers-smoke}
SERVERS="$HERE/servers.sh"
WORK=$(mktemp -d)
trap 'bash "$SERVERS" stop || true; rm -rf "$WORK"' EXIT

passed=0 failed=0
ok()   { passed=$((passed + 1)); printf 'ok    %s\n' "$1"; }
fail() { failed=$((failed + 1)); printf 'FAIL  %s\n' "$1"; [ -z "${2:-}" ] || printf '      %s\n' "$2"; }
expect() {  # expect NAME EXPECTED ACTUAL
    if [ "$2" = "$3" ]; then ok "$1"; else fail "$1" "expected [$2], got [$3]"; fi
}
expect_in() {  # expect_in NAME "ALLOWED VALUES" ACTUAL
    if [[ " $2 " == *" $3 "* ]]; then ok "$1 ($3)"; else fail "$1" "expected one of [$2], got [$3]"; fi
}

t0=$SECONDS
bash "$SERVERS" start >/dev/null
echo "servers started in $((SECONDS - t0))s"
# shellcheck disable=SC1091
. "$KG_SERVERS_DIR/env"

G=https://w3id.org/sz20plus8/graph/smoke
cat >"$WORK/small.ttl" <<'EOF'
@prefix sz:   <https://w3id.org/sz20plus8/def#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix xsd:  <http://www.w3.org/2001/XMLSchema#> .
<https://w3id.org/sz20plus8/cluster/artificial-intelligence> a sz:Cluster ;
    skos:prefLabel "人工智能"@zh , "Artificial intelligence"@en-US ;
    sz:value 1.50 ;
    sz:issued "2022"^^xsd:gYear .
EOF
printf '%s\n' '<https://w3id.org/sz20plus8/cluster/semiconductors> <http://www.w3.org/2004/02/skos/core#prefLabel> "半导体与集成电路"@zh .' >"$WORK/replace.nt"

csv_value() {  # csv_value QUERY-URL QUERY [curl args] -> the single value of a one-cell CSV result
    local url=$1 q=$2; shift 2
    curl -sS --max-time 30 "$@" -H 'Accept: text/csv' --data-urlencode "query=$q" "$url" | sed -n 2p | tr -d '"\r'
}
count_q="SELECT (COUNT(*) AS ?n) WHERE { GRAPH <$G> { ?s ?p ?o } }"
label_q="PREFIX skos: <http://www.w3.org/2004/02/skos/core#> SELECT ?l WHERE { GRAPH <$G> { ?s skos:prefLabel ?l FILTER(LANG(?l) = \"zh\") } }"

smoke() {  # smoke NAME QUERY-URL UPDATE-URL STORE-URL [curl auth args...]
    local name=$1 q=$2 u=$3 st=$4; shift 4
    local code body
    code=$(curl -sS --max-time 30 "$@" -X PUT -H 'Content-Type: text/turtle' \
        --data-binary @"$WORK/small.ttl" "$st?graph=$G" -o "$WORK/out" -w '%{http_code}')
    expect_in "$name: GSP PUT text/turtle into a new graph" "201 200 204" "$code"
    expect "$name: the graph has 5 triples" 5 "$(csv_value "$q" "$count_q")"
    expect "$name: Chinese literal round-trips" "人工智能" "$(csv_value "$q" "$label_q")"
    body=$(curl -sS --max-time 30 -H 'Accept: application/sparql-results+json' \
        --data-urlencode "query=SELECT ?l WHERE { GRAPH <$G> { ?s <http://www.w3.org/2004/02/skos/core#prefLabel> ?l FILTER(LANG(?l) != \"zh\") } }" "$q")
    if grep -qi '"xml:lang" *: *"en-us"' <<<"$body"; then ok "$name: language tag comes back as en-us (lower-cased)"; else fail "$name: language tag" "$body"; fi

    code=$(curl -sS --max-time 30 "$@" -X PUT -H 'Content-Type: application/n-triples' \
        --data-binary @"$WORK/replace.nt" "$st?graph=$G" -o "$WORK/out" -w '%{http_code}')
    expect_in "$name: GSP PUT application/n-triples replaces the graph" "200 201 204" "$code"
    expect "$name: after the replace the graph has 1 triple" 1 "$(csv_value "$q" "$count_q")"

    code=$(curl -sS --max-time 30 "$@" --data-urlencode \
        "update=INSERT DATA { GRAPH <$G> { <https://w3id.org/sz20plus8/cluster/x> <https://w3id.org/sz20plus8/def#value> 2 } }" \
        "$u" -o "$WORK/out" -w '%{http_code}')
    expect_in "$name: SPARQL Update INSERT DATA" "200 204" "$code"
    expect "$name: after the update the graph has 2 triples" 2 "$(csv_value "$q" "$count_q")"

    body=$(curl -sS --max-time 30 "$@" -H 'Accept: application/n-triples' "$st?graph=$G")
    if grep -qE '半导体与集成电路|\\u534A\\u5BFC\\u4F53' <<<"$body"; then ok "$name: GSP GET returns the graph"; else fail "$name: GSP GET" "$body"; fi

    code=$(curl -sS --max-time 30 "$@" -X DELETE "$st?graph=$G" -o "$WORK/out" -w '%{http_code}')
    expect_in "$name: GSP DELETE" "200 204" "$code"
    expect "$name: after DELETE the graph is empty" 0 "$(csv_value "$q" "$count_q")"
}

smoke oxigraph "$KG_OXIGRAPH_QUERY_URL" "$KG_OXIGRAPH_UPDATE_URL" "$KG_OXIGRAPH_STORE_URL"
smoke virtuoso "$KG_VIRTUOSO_QUERY_URL" "$KG_VIRTUOSO_UPDATE_URL" "$KG_VIRTUOSO_STORE_URL" \
    --digest -u "$KG_VIRTUOSO_USER:$KG_VIRTUOSO_PASSWORD"

# Virtuoso's anonymous endpoint is read-only
code=$(curl -sS --max-time 30 --data-urlencode "update=INSERT DATA { GRAPH <$G> { <urn:a> <urn:b> <urn:c> } }" \
    "$KG_VIRTUOSO_QUERY_URL" -o "$WORK/out" -w '%{http_code}')
if [[ $code != 2* ]]; then ok "virtuoso: anonymous update on /sparql is refused ($code)"; else fail "virtuoso: anonymous update on /sparql was accepted ($code)"; fi
# Oxigraph without --union-default-graph: a query without FROM/GRAPH sees only the default graph
curl -sS --max-time 30 -X PUT -H 'Content-Type: text/turtle' --data-binary @"$WORK/small.ttl" \
    "$KG_OXIGRAPH_STORE_URL?graph=$G" -o /dev/null
expect "oxigraph: no FROM = the (empty) default graph" 0 \
    "$(csv_value "$KG_OXIGRAPH_QUERY_URL" 'SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }')"
expect "oxigraph: default-graph-uri selects the named graph" 5 \
    "$(csv_value "$KG_OXIGRAPH_QUERY_URL" 'SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }' --data-urlencode "default-graph-uri=$G")"

t1=$SECONDS
bash "$SERVERS" stop >/dev/null
trap 'rm -rf "$WORK"' EXIT
if bash "$SERVERS" status >/dev/null; then fail "servers stopped"; else ok "servers stopped in $((SECONDS - t1))s"; fi

echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
