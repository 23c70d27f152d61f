package db

import (
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
)

// Location is a parsed DATABASE_URL.
type Location struct {
	Postgres bool
	// Path is the SQLite file ("" for PostgreSQL).
	Path string
	// Describe names the database for logs: the kind, host, port and name of a PostgreSQL
	// database (never its user or password) or the path of a SQLite file.
	Describe string
}

// ParseURL checks a DATABASE_URL: "postgres://USER[:PASSWORD]@HOST[:PORT]/DB[?…]" (or
// postgresql://) or "sqlite://PATH". Anything else is an error that says so; it never
// repeats the value, which may hold a password.
func ParseURL(raw string) (Location, error) {
	const want = "DATABASE_URL: want sqlite://PATH or postgres://USER@HOST:PORT/DATABASE"
	if raw == "" {
		raw = DefaultURL
	}
	if strings.HasPrefix(raw, "postgres://") || strings.HasPrefix(raw, "postgresql://") {
		u, err := url.Parse(raw)
		if err != nil || u.Host == "" || strings.Trim(u.Path, "/") == "" {
			return Location{}, fmt.Errorf("%s; the postgres URL given does not parse or lacks a host or database name", want)
		}
		return Location{Postgres: true, Describe: "postgres " + u.Host + "/" + strings.Trim(u.Path, "/")}, nil
	}
	path, ok := strings.CutPrefix(raw, "sqlite://")
	if !ok {
		scheme, _, found := strings.Cut(raw, "://")
		if !found {
			return Location{}, fmt.Errorf("%s; the value given is not a URL", want)
		}
		return Location{}, fmt.Errorf("%s; %q databases are not supported", want, scheme)
	}
	if path == "" || strings.ContainsAny(path, "?#") {
		return Location{}, fmt.Errorf("%s; the sqlite URL names no plain file path", want)
	}
	return Location{Path: path, Describe: "sqlite " + path}, nil
}

// ensureFolder makes the folder of the default SQLite file, and only that one: any other
// folder must exist already, so that a mistyped path fails instead of creating folders in
// unexpected places.
func ensureFolder(path string) error {
	if path == ":memory:" {
		return nil
	}
	dir := filepath.Dir(path)
	if "sqlite://"+path == DefaultURL {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return fmt.Errorf("create database folder: %w", err)
		}
		return nil
	}
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		return fmt.Errorf("DATABASE_URL: the folder %q of the SQLite file does not exist; create it first", dir)
	}
	return nil
}
