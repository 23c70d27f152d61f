package httpx_test

import (
	"database/sql/driver"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"testing"

	"github.com/caseroom/caseroom/pkg/apperr"
	"github.com/caseroom/caseroom/pkg/httpx"
)

// A lost database connection is a 503 the client may retry, not a 500: the pool replaces the
// connection, and the same request then works.
func TestLostConnectionIs503(t *testing.T) {
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	lost := apperr.Wrap(fmt.Errorf("load work hour 7: %w", driver.ErrBadConn), "update work hour 7")
	if got := httpx.ToJSONAPI(log, "req-1", lost); got.Status != http.StatusServiceUnavailable {
		t.Fatalf("a lost connection answered %d: %+v", got.Status, got.Objects)
	}
	other := apperr.Wrap(fmt.Errorf("boom"), "update work hour 7")
	if got := httpx.ToJSONAPI(log, "req-2", other); got.Status != http.StatusInternalServerError {
		t.Fatalf("any other failure answered %d", got.Status)
	}
}
