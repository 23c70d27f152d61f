package bootstrap_test

import (
	"context"
	"testing"
	"time"

	"github.com/caseroom/caseroom/pkg/access"
	"github.com/caseroom/caseroom/pkg/bootstrap"
	"github.com/caseroom/caseroom/pkg/db/dbtest"
)

// TestBootstrapMovesTheRightsEpoch: rule PRF-6. Start-up and the first administrator write
// what subjects are built from, so they move the rights epoch; a start-up that finds
// everything in place does not, and leaves the replicas' cached subjects alone.
func TestBootstrapMovesTheRightsEpoch(t *testing.T) {
	ctx := context.Background()
	d := dbtest.Open(t)
	epoch := func() int64 {
		t.Helper()
		n, err := access.Epoch(ctx, d)
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	start := epoch()
	if err := bootstrap.Ensure(ctx, d, time.Now); err != nil {
		t.Fatal(err)
	}
	first := epoch()
	if first <= start {
		t.Fatal("the first Ensure inserted profiles without moving the epoch")
	}
	if err := bootstrap.Ensure(ctx, d, time.Now); err != nil {
		t.Fatal(err)
	}
	if epoch() != first {
		t.Fatal("an Ensure that inserted nothing moved the epoch")
	}
	if _, err := bootstrap.FirstAdmin(ctx, d, time.Now, "boss@firm.example", "The Boss", "Firm Oy", ""); err != nil {
		t.Fatal(err)
	}
	if epoch() <= first {
		t.Fatal("the first administrator was created without moving the epoch")
	}
}
