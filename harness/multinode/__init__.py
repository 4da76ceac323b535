"""A three-node Swarm in network namespaces and the platform stack deployed on it."""
