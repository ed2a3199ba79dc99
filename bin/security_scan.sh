#!/usr/bin/env bash
# Security scans of a running WABP portal: nikto, wapiti and sqlmap.
#
#   bin/security_scan.sh BASE_URL REPORT_DIR
#   bin/security_scan.sh https://127.0.0.1:8443 /tmp/scans/$(date +%F)
#
# What it is for: repeating the scans recorded in docs/security-scans.md
# against a portal in production mode (DJANGO_ENV=production) on a scratch
# database with the demo data (`manage.py load_demo`). That document tells how
# the server was set up (gunicorn serving TLS on loopback, in a network
# namespace that has nothing but loopback) and how to read the reports.
#
# What it is not: part of CI, `make test` or any Makefile target. It takes
# 30-45 minutes, it is intrusive (wapiti and sqlmap post hundreds of signups,
# and the authenticated pass posts the admin's forms: never point it at data
# that matters) and it needs Debian's scanners:
#   apt-get install wapiti sqlmap   (Debian main)
#   nikto                           (Debian non-free: enable that component,
#                                    or download its .deb with apt-get download)
# It refuses to run when CI is set.
#
# Nothing calls out from the scanners (the tools' own network traffic goes to
# the target only):
#   nikto   a config of its own (UPDATES=no: no version strings sent to
#           cirt.net; RFIURL and CIRT point at a closed loopback port),
#           -ask no, -nointeractive, -nolookup; never -update. Tuning x6: every
#           test group but denial of service.
#   wapiti  --no-bugreport (3.0.4 uploads a crash report to wapiti3.ovh
#           otherwise); --endpoint on a closed loopback port (payloads that name
#           a callback host name that port instead); modules ssrf and xxe
#           (out-of-band callbacks), wapp and nikto (download their databases
#           from GitHub) and brute_login_form (password guessing; the lockout
#           is tested in tests/) are not run. wapiti 3.0.4 builds every module
#           even when -m leaves it out, and wapp then downloads its database:
#           an empty one is put in its config directory first, and
#           HTTP(S)_PROXY point at a closed loopback port with NO_PROXY=the
#           target, so any other request fails on this machine.
#   sqlmap  --batch, stdin from /dev/null (its offer to open a GitHub issue
#           after a crash then answers no); never --update or --check-internet.
# For a hard guarantee, run the server and this script in a network namespace
# with only loopback: `ip netns add scan; ip netns exec scan ip link set lo up;
# ip netns exec scan bin/security_scan.sh ...` (docs/security-scans.md).
#
# The target must be the portal's own address: https (gunicorn with
# --certfile/--keyfile, or the TLS proxy) so that the Secure cookies and the
# CSRF check's Referer rule work as in production. A host that is not
# loopback is refused unless SCAN_ALLOW_REMOTE=1 (scan only what you run).
#
# Settings (environment), defaults in brackets:
#   SCAN_TOOLS             which scanners run ["nikto wapiti sqlmap"]
#   NIKTO_SECONDS          nikto's longest run [600]
#   WAPITI_CRAWL_SECONDS   wapiti's crawl (its --max-scan-time bounds the crawl
#                          only, in 3.0.4) [300]
#   WAPITI_ATTACK_SECONDS  each wapiti module's longest attack [45]
#   SQLMAP_SECONDS         each sqlmap target's longest run [900]
#   SCAN_STREET, SCAN_NUMBER, SCAN_POSTCODE, SCAN_GROUP, SCAN_MUNICIPALITY
#                          a valid address and its group for the finder and
#                          the signup form [the demo's: Motstraat 12, 3570, 7, 1]
#   SCAN_USER, SCAN_PASSWORD, SCAN_TOTP_KEY
#                          a coordinator login and its TOTP device's key (hex,
#                          django_otp's TOTPDevice.key) for wapiti's
#                          authenticated pass over /admin/; without them that
#                          pass is skipped
#
# Reports: REPORT_DIR/nikto/, wapiti/ (json, and the console), sqlmap/ (one log
# per target, sqlmap's session files under out/), and summary.txt.
set -uo pipefail

usage() { sed -n '2,4p' "$0" | sed 's/^# \{0,1\}//'; exit 2; }
[ $# -eq 2 ] || usage
if [ -n "${CI:-}" ]; then
  echo "security_scan.sh does not run in CI (slow, intrusive, needs the scanners)." >&2
  exit 2
fi

BASE_URL="${1%/}"
REPORT_DIR="$2"
TOOLS="${SCAN_TOOLS:-nikto wapiti sqlmap}"
NIKTO_SECONDS="${NIKTO_SECONDS:-600}"
WAPITI_CRAWL_SECONDS="${WAPITI_CRAWL_SECONDS:-300}"
WAPITI_ATTACK_SECONDS="${WAPITI_ATTACK_SECONDS:-45}"
SQLMAP_SECONDS="${SQLMAP_SECONDS:-900}"
STREET="${SCAN_STREET:-Motstraat}"
NUMBER="${SCAN_NUMBER:-12}"
POSTCODE="${SCAN_POSTCODE:-3570}"
GROUP="${SCAN_GROUP:-7}"
MUNICIPALITY="${SCAN_MUNICIPALITY:-1}"
# Where payloads that want a callback host are sent: a closed port here.
DEAD_END="http://127.0.0.1:9"

# The target's parts (scheme, host, port), with Python's URL parser.
read -r SCHEME HOST PORT < <(python3 - "$BASE_URL" <<'EOF'
import sys
from urllib.parse import urlsplit
u = urlsplit(sys.argv[1])
print(u.scheme, u.hostname, u.port or (443 if u.scheme == "https" else 80))
EOF
)
case "$SCHEME" in http|https) ;; *) echo "BASE_URL must be http(s)://host[:port]" >&2; exit 2 ;; esac
case "$HOST" in
  127.*|localhost|::1) ;;
  *)
    if [ "${SCAN_ALLOW_REMOTE:-0}" != 1 ]; then
      echo "Refusing to scan $HOST: not loopback (set SCAN_ALLOW_REMOTE=1 for a server you run elsewhere)." >&2
      exit 2
    fi ;;
esac
[ "$SCHEME" = https ] || echo "warning: plain http: in production mode every page redirects to https and the Secure cookies are not sent back; scan the https address." >&2

mkdir -p "$REPORT_DIR"
REPORT_DIR="$(cd "$REPORT_DIR" && pwd)"
SUMMARY="$REPORT_DIR/summary.txt"
: >"$SUMMARY"
note() { printf '%s\n' "$*" | tee -a "$SUMMARY"; }

note "security_scan.sh: $BASE_URL, $(date -u +%FT%TZ), reports in $REPORT_DIR"
for tool in $TOOLS; do
  command -v "$tool" >/dev/null || { echo "$tool is not installed (see the top of $0)" >&2; exit 2; }
done

# ---------------------------------------------------------------------- nikto
run_nikto() {
  local dir="$REPORT_DIR/nikto" ssl=()
  mkdir -p "$dir"
  # Debian's config with the three settings that reach cirt.net changed.
  sed -e 's/^UPDATES=.*/UPDATES=no/' \
      -e "s#^RFIURL=.*#RFIURL=$DEAD_END/rfiinc.txt?#" \
      -e 's/^CIRT=.*/CIRT=127.0.0.1/' /etc/nikto/config.txt >"$dir/nikto.conf"
  [ "$SCHEME" = https ] && ssl=(-ssl)
  note "nikto $(nikto -Version 2>/dev/null | awk '/Nikto main/ {print $3}'): at most ${NIKTO_SECONDS}s"
  # nikto 2.1.5 prints "maximum execution time reached" at the start whatever
  # -maxtime is (its timer starts at 0): timeout(1) is what bounds the run.
  # Run from $dir: nikto also reads ./nikto.conf, which is then ours.
  (cd "$dir" && timeout "$((NIKTO_SECONDS + 60))" nikto -config "$dir/nikto.conf" \
    -host "$HOST" -port "$PORT" "${ssl[@]}" \
    -nointeractive -ask no -nolookup -Tuning x6 -maxtime "$NIKTO_SECONDS" \
    -Format txt -output "$dir/nikto-report.txt" </dev/null >"$dir/nikto-console.txt" 2>&1)
  note "  nikto exit $?; $(grep -c '^+ ' "$dir/nikto-report.txt" 2>/dev/null || echo 0) report lines"
}

# --------------------------------------------------------------------- wapiti
WAPITI_MODULES="backup,blindsql,buster,cookieflags,crlf,csp,csrf,exec,file,htaccess,http_headers,methods,permanentxss,redirect,shellshock,sql,xss"
WAPITI_ADMIN_MODULES="sql,xss,exec,file,redirect,csrf,crlf"

wapiti_python() {
  # wapiti's own interpreter (Debian: /usr/bin/python3), for wapitiCore.
  head -1 "$(command -v wapiti)" | sed 's/^#! *//; s/ .*//'
}

# wapiti 3.0.4 with -x working on Python 3.11: it puts the regex's inline flags
# at the end of its exclusion patterns, which 3.11 refuses. A small launcher
# swaps in the same pattern with the flags first; the rest is wapiti as
# installed. It runs with the outcall guard described above.
write_wapiti_launcher() {
  cat >"$1" <<'EOF'
import re
import sys

import wapitiCore.net.crawler as crawler


def wildcard_translate(pattern):
    body = "".join(".*" if char == "*" else re.escape(char) for char in pattern)
    return re.compile(r"(?ms)" + body + r"\Z")


crawler.wildcard_translate = wildcard_translate
from wapitiCore.main.wapiti import wapiti_main  # noqa: E402

sys.argv[0] = "wapiti"
sys.exit(wapiti_main())
EOF
}

wapiti_run() {
  local seconds="$1"; shift
  timeout "$seconds" env HTTP_PROXY="$DEAD_END" HTTPS_PROXY="$DEAD_END" \
    http_proxy="$DEAD_END" https_proxy="$DEAD_END" NO_PROXY="$HOST" no_proxy="$HOST" \
    "$(wapiti_python)" "$REPORT_DIR/wapiti/wapiti_launcher.py" "$@" </dev/null
}

# A login with its second factor; writes wapiti's JSON cookie file.
wapiti_login() {
  "$(wapiti_python)" - "$BASE_URL" "$1" <<'EOF'
import hashlib, hmac, os, re, struct, sys, time
import requests, urllib3
from wapitiCore.net.jsoncookie import JsonCookie

urllib3.disable_warnings()
base, out = sys.argv[1:3]
user, password, key = (os.environ[n] for n in ("SCAN_USER", "SCAN_PASSWORD", "SCAN_TOTP_KEY"))

def totp(secret: bytes) -> str:
    mac = hmac.new(secret, struct.pack(">Q", int(time.time()) // 30), hashlib.sha1).digest()
    offset = mac[-1] & 0x0F
    return f"{(struct.unpack('>I', mac[offset:offset + 4])[0] & 0x7FFFFFFF) % 10**6:06d}"

def token(html: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)

session = requests.Session()
page = session.get(f"{base}/admin/login/?next=/admin/", verify=False)
page = session.post(page.url, verify=False, headers={"Referer": page.url}, data={
    "csrfmiddlewaretoken": token(page.text), "username": user, "password": password, "next": "/admin/"})
page = session.post(page.url, verify=False, headers={"Referer": page.url}, data={
    "csrfmiddlewaretoken": token(page.text), "token": totp(bytes.fromhex(key)), "next": "/admin/"})
if session.get(f"{base}/admin/", verify=False, allow_redirects=False).status_code != 200:
    sys.exit("login failed (user name, password or TOTP key)")
jar = JsonCookie()
jar.open(out)
jar.addcookies(session.cookies)
jar.dump()
jar.close()
EOF
}

run_wapiti() {
  local dir="$REPORT_DIR/wapiti"
  mkdir -p "$dir/config"
  # An empty Wappalyzer database, so that mod_wapp does not fetch one.
  [ -s "$dir/config/apps.json" ] || echo '{}' >"$dir/config/apps.json"
  write_wapiti_launcher "$dir/wapiti_launcher.py"
  local common=(--endpoint "$DEAD_END/" --no-bugreport -t 10
    --store-config "$dir/config" -f json -v 1)
  # --max-scan-time bounds the crawl; each module then attacks for at most
  # --max-attack-time: the whole run is bounded by timeout(1) besides.
  local modules_count bound
  modules_count=$(tr ',' '\n' <<<"$WAPITI_MODULES" | wc -l)
  bound=$((WAPITI_CRAWL_SECONDS + modules_count * (WAPITI_ATTACK_SECONDS + 30) + 120))
  note "wapiti $(wapiti --version 2>/dev/null | tail -1): public site, at most ${bound}s"
  wapiti_run "$bound" -u "$BASE_URL/" --scope folder -m "$WAPITI_MODULES" "${common[@]}" \
    --max-scan-time "$WAPITI_CRAWL_SECONDS" --max-attack-time "$WAPITI_ATTACK_SECONDS" \
    --store-session "$dir/session-public" -o "$dir/wapiti-public.json" \
    >"$dir/wapiti-public-console.txt" 2>&1
  note "  wapiti (public) exit $?"

  if [ -n "${SCAN_USER:-}" ] && [ -n "${SCAN_PASSWORD:-}" ] && [ -n "${SCAN_TOTP_KEY:-}" ]; then
    modules_count=$(tr ',' '\n' <<<"$WAPITI_ADMIN_MODULES" | wc -l)
    bound=$((WAPITI_CRAWL_SECONDS + modules_count * (WAPITI_ATTACK_SECONDS + 30) + 120))
    note "wapiti: /admin/ logged in as $SCAN_USER, at most ${bound}s"
    # stdout dropped: wapitiCore prints the session cookie it stores.
    if wapiti_login "$dir/admin-cookies.json" >/dev/null 2>"$dir/login.txt"; then
      # Logging out or changing the password would end the pass early.
      wapiti_run "$bound" -u "$BASE_URL/admin/" --scope folder -c "$dir/admin-cookies.json" \
        -x "$BASE_URL/admin/logout/*" -x "$BASE_URL/admin/password_change/*" \
        -m "$WAPITI_ADMIN_MODULES" "${common[@]}" -d 4 --max-links-per-page 40 --max-files-per-dir 60 \
        --max-scan-time "$WAPITI_CRAWL_SECONDS" --max-attack-time "$WAPITI_ATTACK_SECONDS" \
        --store-session "$dir/session-admin" -o "$dir/wapiti-admin.json" \
        >"$dir/wapiti-admin-console.txt" 2>&1
      note "  wapiti (admin) exit $?"
    else
      note "  wapiti (admin) skipped: $(tail -1 "$dir/login.txt")"
    fi
  else
    note "  wapiti (admin) skipped: SCAN_USER, SCAN_PASSWORD and SCAN_TOTP_KEY not set"
  fi
}

# --------------------------------------------------------------------- sqlmap
sqlmap_target() {
  local name="$1"; shift
  local dir="$REPORT_DIR/sqlmap"
  timeout "$SQLMAP_SECONDS" sqlmap "$@" --batch --level 2 --risk 1 --dbms PostgreSQL \
    --flush-session --output-dir "$dir/out" </dev/null >"$dir/$name.txt" 2>&1
  local status=$?
  note "  sqlmap $name: exit $status; $(grep -E 'does not seem to be injectable|is vulnerable|might be injectable|appears to be' "$dir/$name.txt" | sed 's/^\[[^]]*\] //' | sort | uniq -c | tr -s ' ' | paste -sd ';' -)"
}

run_sqlmap() {
  mkdir -p "$REPORT_DIR/sqlmap"
  note "sqlmap $(sqlmap --version 2>/dev/null | head -1): each target at most ${SQLMAP_SECONDS}s"
  # The finder: a POST without a CSRF token (it reads public data only).
  sqlmap_target finder -u "$BASE_URL/zoek-je-groep/" \
    --data "straat=$STREET&nummer=$NUMBER&postcode=$POSTCODE" -p "straat,nummer,postcode"
  # The street suggestions while typing: a GET.
  sqlmap_target streets -u "$BASE_URL/zoek-je-groep/straten/?q=${STREET:0:3}" -p q
  # The finder's "sign up" button: shows the e-loket filled in (no token).
  sqlmap_target signup-from-finder -u "$BASE_URL/aanmelden/vanuit-zoeker/" \
    --data "groep=$GROUP&gemeente=$MUNICIPALITY&straat=$STREET&nummer=$NUMBER" \
    -p "groep,gemeente,straat,nummer"
  # The e-loket itself, with its CSRF token taken from the form before each
  # request. The token's page must be another URL than the target (a query
  # string does it): with the same URL sqlmap 1.7.2 posts the form to get the
  # token, and the post is refused for lack of one. The Referer is needed on
  # https (Django's CSRF check).
  sqlmap_target signup -u "$BASE_URL/aanmelden/" \
    --data "csrfmiddlewaretoken=x&role=participant&group=$GROUP&proposed_group_name=&proposed_area=&first_name=Scan&last_name=Tester&street_name=$STREET&house_number=$NUMBER&box=&postcode=$POSTCODE&municipality=$MUNICIPALITY&phone=%2B32470123456&email=scan.tester%40example.be&house_rules=1&accept_house_rules=on&accept_privacy=on&keep_group=&website=" \
    --csrf-token=csrfmiddlewaretoken --csrf-url="$BASE_URL/aanmelden/?token=1" --csrf-method=GET \
    --referer="$BASE_URL/aanmelden/" \
    -p "group,first_name,last_name,street_name,house_number,box,postcode,municipality,phone,email,proposed_group_name,proposed_area"
}

for tool in $TOOLS; do
  case "$tool" in
    nikto) run_nikto ;;
    wapiti) run_wapiti ;;
    sqlmap) run_sqlmap ;;
    *) echo "unknown tool $tool" >&2; exit 2 ;;
  esac
done
note "done $(date -u +%FT%TZ)"
