#!/bin/sh
# Delivers a group's current passwords to the secret manager. The stand-in here is a
# JSON file only its owner can read; in production pipe into one instead, e.g.
#   npx --no itniotech passwords --app "$APP_ID" --group "$1" | vault kv put secret/phones/office -
#   ... | aws secretsmanager put-secret-value --secret-id phones/office --secret-string file:///dev/stdin
# Usage: ./deliver.sh <groupName> [file]   (credentials: ITNIOTECH_API_KEY, _API_SECRET, _BASE_URL)
set -eu
group="$1"
file="${2:-secrets/office.json}"
umask 077
mkdir -p "$(dirname "$file")"
# Written beside, then renamed: the file never holds half a delivery.
npx --no itniotech passwords --app "${APP_ID:-demo-app}" --group "$group" > "$file.tmp"
mv "$file.tmp" "$file"
echo "delivered the passwords of $group to $file" >&2
