#!/bin/sh
# As the official redis image: the volume belongs to redis, and a server started without a
# configuration file accepts connections from other containers (the network is the stack's own).
set -eu
chown redis:redis /data
if [ "${1:-}" = redis-server ]; then
    shift
    set -- redis-server --protected-mode no "$@"
fi
exec setpriv --reuid=redis --regid=redis --init-groups "$@"
