// Package e2e drives the firm's app (frontend-stub/, served by the API under /app/) in
// Debian's headless Chromium against an API server started in-process on a migrated
// database with the demo organisation: two profiles see different columns, an hour is
// entered and approved, a case is shared (the invitation lands in the outbox), the
// administrator's explain screens answer, and axe-core finds no serious or critical
// accessibility violation on any screen.
package e2e

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"github.com/caseroom/caseroom/pkg/auth"
	"github.com/caseroom/caseroom/pkg/db/dbtest"
	"github.com/caseroom/caseroom/pkg/demo"
	"github.com/caseroom/caseroom/pkg/model"
	"github.com/caseroom/caseroom/pkg/storage"
	"github.com/caseroom/caseroom/services/api/internal/server"
)

// apiServer is the API on a real listener, and its database.
type apiServer struct {
	url string
	db  *bun.DB
}

// startAPI serves the API (and so the app) on a loopback port until the test ends.
func startAPI(t *testing.T) *apiServer {
	t.Helper()
	database := dbtest.Open(t)
	if _, err := demo.Load(context.Background(), database, time.Now); err != nil {
		t.Fatalf("load demo: %v", err)
	}
	files, err := storage.NewDisk(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	tokens, err := auth.NewIssuer([]byte(strings.Repeat("e", 32)), auth.AudienceAPI, time.Hour, time.Now)
	if err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	app := server.New(server.Deps{DB: database, Log: log, Tokens: tokens, Files: files, PortalURL: "http://portal.test"})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- app.Listener(ln) }()
	t.Cleanup(func() {
		if err := app.ShutdownWithTimeout(5 * time.Second); err != nil {
			t.Errorf("shutdown: %v", err)
		}
		if err := <-done; err != nil && !errors.Is(err, net.ErrClosed) {
			t.Errorf("serve: %v", err)
		}
	})
	s := &apiServer{url: "http://" + ln.Addr().String(), db: database}
	for i := 0; ; i++ {
		resp, err := http.Get(s.url + "/healthz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return s
			}
		}
		if i == 50 {
			t.Fatalf("the API did not come up: %v", err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// outbox returns the mails queued for recipient (pkg/outbox: written in the transaction
// of the change that caused them; nothing sends them in this test).
func (s *apiServer) outbox(t *testing.T, recipient string) []model.OutboxEmail {
	t.Helper()
	var rows []model.OutboxEmail
	if err := s.db.NewSelect().Model(&rows).Where("recipient = ?", recipient).OrderExpr("id").Scan(context.Background()); err != nil {
		t.Fatalf("read the outbox: %v", err)
	}
	return rows
}
