"""The test harness: real services for the tests and the benchmarks, started on 127.0.0.1 or in
network namespaces the harness makes, and stopped by PID.

  tls, ports, processes          a throw-away CA, free ports, stopping what was started
  postgres, slapd, nginx, hub    PostgreSQL, OpenLDAP, nginx and JupyterHub as local processes
  hub_env                        loading platform/hub/jupyterhub_config.py with a chosen environment
  hub_client                     a user's browser-less session with the hub (the one hub client)
  browser                        chromium through Playwright
  stalling_relay, stand_in_upstream   misbehaving network peers for fault tests
  engine, images, stack          a private dockerd, the platform's images, the stack on a Swarm
  stack_config                   `docker stack config` of platform/stack*.yml for an example site
  multinode/                     a three-node Swarm in network namespaces and the stack on it

Tests import it as `harness` (pytest puts the repository root on sys.path); benchmarks run as
`python -m bench.<name>` from the repository root.
"""
