// Package soak proves on one machine that Caseroom's services are stateless and scale
// out: two replicas of each service as built binaries, on one PostgreSQL database, one
// MinIO and one SMTP server, behind a real HAProxy per service. Sessions, logouts and
// rights changes cross replicas; files cross replicas; invitations go out exactly once
// with every replica's outbox worker running; a mixed load through the balancers loses
// no request and no write while each replica in turn is stopped and started again; and
// the services come back by themselves from MinIO and PostgreSQL faults.
//
// It runs only with SOAK=1 (make soak, make soak-short): it takes minutes and needs
// PostgreSQL, MinIO and HAProxy (deploy/install-test-deps.sh).
package soak

import (
	"os"
	"strconv"
	"strings"
	"testing"
	"time"
)

// summary is what the run prints at the end.
type summary struct {
	invites         int
	sent, delivered int
	load            string
	memory          []string
}

// TestSoak is the whole harness on one stack, each proof a subtest, in an order where
// each leaves the stack as the next needs it: the rolling restart replaces every process,
// and the faults come last.
func TestSoak(t *testing.T) {
	if os.Getenv("SOAK") != "1" {
		t.Skip("the soak harness runs with SOAK=1: make soak (SOAK_DURATION, default 2m) or make soak-short")
	}
	duration := envDuration(t, "SOAK_DURATION", 2*time.Minute)
	rate := envInt(t, "SOAK_RATE", 30)
	sum := &summary{invites: envInt(t, "SOAK_INVITES", 200)}
	st := startStack(t)
	fx := st.setUp(t)

	t.Run("sessions", func(t *testing.T) { testSessions(t, st, fx) })
	t.Run("files", func(t *testing.T) { testFiles(t, st, fx) })
	t.Run("invites", func(t *testing.T) { sum.sent, sum.delivered = testInvites(t, st, fx, sum.invites) })
	if fx.fileID == "" {
		t.Fatal("no file to download under load: the files test failed")
	}
	t.Run("rolling restart under load", func(t *testing.T) { testRollingRestart(t, st, fx, duration, rate, sum) })
	t.Run("faults", func(t *testing.T) {
		t.Run("MinIO stopped", func(t *testing.T) { testMinIOFault(t, st, fx) })
		t.Run("PostgreSQL connections killed", func(t *testing.T) { testPostgresFault(t, st, fx) })
	})

	t.Logf("SUMMARY\n  invitations: %d shared, %d marked sent in the outbox, %d delivered to the SMTP server\n  load: %s\n  %s",
		sum.invites, sum.sent, sum.delivered, sum.load, strings.Join(sum.memory, "\n  "))
}

func envDuration(t *testing.T, name string, def time.Duration) time.Duration {
	t.Helper()
	v := os.Getenv(name)
	if v == "" {
		return def
	}
	d, err := time.ParseDuration(v)
	if err != nil || d <= 0 {
		t.Fatalf("%s=%q: want a duration such as 2m", name, v)
	}
	return d
}

func envInt(t *testing.T, name string, def int) int {
	t.Helper()
	v := os.Getenv(name)
	if v == "" {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil || n <= 0 {
		t.Fatalf("%s=%q: want a positive number", name, v)
	}
	return n
}
