// Package config reads settings from environment variables, with defaults that run on a
// laptop. Both services use it; each documents its variables in the README.
package config

import (
	"fmt"
	"os"
	"strconv"
	"time"
)

// String returns the variable or def.
func String(name, def string) string {
	if v, ok := os.LookupEnv(name); ok && v != "" {
		return v
	}
	return def
}

// Duration returns the variable parsed as a Go duration, or def.
func Duration(name string, def time.Duration) (time.Duration, error) {
	return parsed(name, def, time.ParseDuration)
}

// Int returns the variable parsed as an integer, or def.
func Int(name string, def int) (int, error) { return parsed(name, def, strconv.Atoi) }

// parsed returns the variable read by parse, or def when it is unset or empty; a value parse
// refuses is an error that names the variable.
func parsed[T any](name string, def T, parse func(string) (T, error)) (T, error) {
	v := os.Getenv(name)
	if v == "" {
		return def, nil
	}
	x, err := parse(v)
	if err != nil {
		var zero T
		return zero, fmt.Errorf("%s: %w", name, err)
	}
	return x, nil
}
