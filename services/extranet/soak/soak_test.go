// Package soak proves on one machine that Caseroom's services are stateless and scale
// out: two replicas of each service as built binaries, on one PostgreSQL database (a
// cluster of the harness's own), one MinIO and one SMTP server, behind a real HAProxy per
// service. Sessions, logouts and rights changes cross replicas; files cross replicas;
// invitations go out exactly once with every replica's outbox worker running; a mixed
// load through the balancers loses no request and no write while each replica in turn is
// stopped and started again, and the SMTP server is down: the invitations shared meanwhile
// wait in the outbox and go out once each when it is back; the services come back by
// themselves from MinIO and PostgreSQL faults, a PostgreSQL restart among them; and each
// replica ends the run holding no more goroutines and heap than before it.
//
// It runs only with SOAK=1 (make soak, make soak-short): it takes minutes and needs
// PostgreSQL's server binaries, MinIO and HAProxy (deploy/install-test-deps.sh).
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
	invites, outageInvites int
	sent, delivered        int
	load, outage           string
	pgRestart              string
	memory, runtime        []string
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
	sum := &summary{invites: envInt(t, "SOAK_INVITES", 200), outageInvites: envInt(t, "SOAK_OUTAGE_INVITES", 40)}
	st := startStack(t)
	if st.pg == nil {
		t.Logf("the stack runs on a shared PostgreSQL, which is not restarted: %s", st.pgShared)
	}
	fx := st.setUp(t)

	t.Run("sessions", func(t *testing.T) { testSessions(t, st, fx) })
	t.Run("files", func(t *testing.T) { testFiles(t, st, fx) })
	t.Run("invites", func(t *testing.T) { sum.sent, sum.delivered = testInvites(t, st, fx, sum.invites) })
	if fx.fileID == "" {
		t.Fatal("no file to download under load: the files test failed")
	}
	warmUp(t, st, fx, 5*time.Second, rate)
	before := idleFigures(t, st)
	t.Run("rolling restart under load, SMTP down", func(t *testing.T) { testRollingRestart(t, st, fx, duration, rate, sum) })
	t.Run("faults", func(t *testing.T) {
		t.Run("MinIO stopped", func(t *testing.T) { testMinIOFault(t, st, fx) })
		t.Run("PostgreSQL connections killed", func(t *testing.T) { testPostgresFault(t, st, fx) })
		t.Run("PostgreSQL restarted", func(t *testing.T) { testPostgresRestart(t, st, fx, sum) })
	})
	t.Run("goroutines and heap return", func(t *testing.T) { checkRuntime(t, st, before, sum) })

	t.Logf("SUMMARY\n  invitations: %d shared, %d marked sent in the outbox, %d delivered to the SMTP server\n"+
		"  SMTP outage: %s\n  load: %s\n  PostgreSQL restart: %s\n  resident memory:\n    %s\n  runtime (CASEROOM_ADMIN_ADDR, after a GC):\n    %s",
		sum.invites, sum.sent, sum.delivered, sum.outage, sum.load, sum.pgRestart, strings.Join(sum.memory, "\n    "), strings.Join(sum.runtime, "\n    "))
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
