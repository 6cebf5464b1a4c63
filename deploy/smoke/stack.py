"""Write the compose stack deploy/smoke.sh runs: deploy/docker-compose.yml itself, with only what this
machine forces changed, so the smoke test runs the real services, commands, environment, volumes,
health checks and order.

    python3 deploy/smoke/stack.py OUT_DIR HTTP_PORT HTTPS_PORT [SCALE]

Changed, and nothing else:
- no `build:` (smoke.sh has built mtl-portal:latest itself, with the ignore file podman-compose
  would not pass on);
- db, redis and nginx run the local stand-in images (no image registry can be reached here);
- nginx is published on the loopback's HTTP_PORT and HTTPS_PORT, not on 80 and 443;
- nginx reads OUT_DIR/nginx.conf: deploy/nginx.conf with `http2 on;` (nginx 1.25.1 and later)
  written as `listen 443 ssl http2` for the stand-in's nginx 1.22.
With SCALE above 1 (`SCALE=2 deploy/smoke.sh`), deploy/README.md's "Scaling out" on one host: web2 ...
and worker2 ... are copies of web and worker (same image, command, environment and volumes, so the same
PostgreSQL, Redis and private media), and nginx's upstream lists every web container.
OUT_DIR must also hold .env and certs/ (smoke.sh writes them), as deploy/ does in real use.
"""

import copy
import sys
from pathlib import Path

import yaml

DEPLOY = Path(__file__).resolve().parents[1]
STAND_INS = {
    "db": "localhost/mtl-smoke/postgres:15",
    "redis": "localhost/mtl-smoke/redis:7",
    "nginx": "localhost/mtl-smoke/nginx:1.22",
}


class _NoAliases(yaml.SafeDumper):
    # The compose file's `<<: *portal` shares one mapping between services; written out in full
    # for each, so podman-compose's in-place changes to one service never reach another.
    def ignore_aliases(self, data):
        return True


def smoke_compose(compose: dict, http_port: int, https_port: int, scale: int = 1) -> dict:
    compose = {key: value for key, value in compose.items() if not key.startswith("x-")}
    services = compose["services"]
    for service in services.values():
        service.pop("build", None)
    for name, image in STAND_INS.items():
        services[name]["image"] = image
    nginx = services["nginx"]
    nginx["ports"] = [f"127.0.0.1:{http_port}:80", f"127.0.0.1:{https_port}:443"]
    if "./nginx.conf:/etc/nginx/nginx.conf:ro" not in nginx["volumes"]:
        raise ValueError(f"nginx no longer mounts ./nginx.conf: change deploy/smoke/stack.py ({nginx['volumes']})")
    for n in range(2, scale + 1):
        for name in ("web", "worker"):
            services[f"{name}{n}"] = copy.deepcopy(services[name])
    return compose


def web_services(scale: int) -> list[str]:
    return ["web"] + [f"web{n}" for n in range(2, scale + 1)]


def nginx_for_1_22(conf: str, scale: int = 1) -> str:
    for line in ("http2 on;", "listen 443 ssl default_server;", "server web:8000;"):
        if conf.count(line) != 1:
            raise ValueError(f"deploy/nginx.conf no longer has one {line!r}: change deploy/smoke/stack.py")
    conf = conf.replace("http2 on;", "# http2 on; (nginx 1.25.1 and later) is in the listen line for 1.22")
    conf = conf.replace("listen 443 ssl default_server;", "listen 443 ssl http2 default_server;")
    # nginx's default balancing, round robin: one request to each web container in turn.
    servers = " ".join(f"server {name}:8000;" for name in web_services(scale))
    return conf.replace("server web:8000;", servers)


def main(out_dir: str, http_port: str, https_port: str, scale: str = "1") -> None:
    out = Path(out_dir)
    compose = yaml.safe_load((DEPLOY / "docker-compose.yml").read_text())
    stack = smoke_compose(compose, int(http_port), int(https_port), int(scale))
    (out / "docker-compose.yml").write_text(yaml.dump(stack, Dumper=_NoAliases, sort_keys=False))
    (out / "nginx.conf").write_text(nginx_for_1_22((DEPLOY / "nginx.conf").read_text(), int(scale)))


if __name__ == "__main__":
    main(*sys.argv[1:])
