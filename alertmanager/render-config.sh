#!/bin/sh
# Fill each "${NAME}" of an Alertmanager config from the environment and write the
# result (Alertmanager itself reads no environment). Placeholders stand inside
# double quotes: a value's backslashes and quotes are escaped for YAML. A variable
# used on a line that is not a comment must be set: a missing webhook URL stops the
# start with a clear message instead of an Alertmanager that notifies nobody.
#   render-config.sh alertmanager.yml /alertmanager/alertmanager.yml
# POSIX sh + awk: runs in the prom/alertmanager image (busybox) and on Debian.
set -eu
template=$1
output=$2
trap 'rm -f "$output.tmp"' EXIT
awk '
function quoted(value,    out, i, c) {
    out = ""
    for (i = 1; i <= length(value); i++) {
        c = substr(value, i, 1)
        if (c == "\\" || c == "\"") out = out "\\"
        out = out c
    }
    return out
}
function fill(line, required,    out, start, len, name) {
    out = ""
    while ((start = index(line, "${")) > 0) {
        len = index(substr(line, start), "}")
        if (len == 0) break
        name = substr(line, start + 2, len - 3)
        if (required && ENVIRON[name] == "" && !(name in missing)) missing[name] = 1
        out = out substr(line, 1, start - 1) quoted(ENVIRON[name])
        line = substr(line, start + len)
    }
    return out line
}
{ print fill($0, $0 !~ /^[ \t]*#/) }
END {
    names = ""
    for (name in missing) names = names " " name
    if (names != "") {
        print "alertmanager config needs" names ": set it in .env" > "/dev/stderr"
        exit 1
    }
}
' "$template" > "$output.tmp"
mv "$output.tmp" "$output"
