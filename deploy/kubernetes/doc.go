// Package kubernetes holds no code: its tests check the manifests in this folder (every one
// decoded strictly into the Kubernetes API types, probes, resources, shutdown timing, and
// every environment variable against what the services read and what production mode
// accepts) and the variables of docker-compose.yml. It is a module of its own so that
// k8s.io/api stays out of the services' dependencies.
package kubernetes
