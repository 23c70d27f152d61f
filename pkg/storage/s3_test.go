package storage_test

import (
	"context"
	"errors"
	"io"
	"mime"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/caseroom/caseroom/pkg/storage"
	"github.com/caseroom/caseroom/pkg/storage/storagetest"
)

func TestS3(t *testing.T) {
	testStore(t, storagetest.MinIO(t))
}

func TestS3PresignGet(t *testing.T) {
	ctx := context.Background()
	s := storagetest.MinIO(t)
	key := storage.NewKey(7)
	mustPut(t, s, key, []byte("<html>hello</html>"), "text/html")

	t.Run("downloads as an attachment with the user's name", func(t *testing.T) {
		u, err := s.PresignGet(ctx, key, "Bericht März.html", time.Minute)
		if err != nil {
			t.Fatalf("PresignGet: %v", err)
		}
		resp, err := http.Get(u)
		if err != nil {
			t.Fatalf("GET presigned URL: %v", err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != http.StatusOK || string(body) != "<html>hello</html>" {
			t.Fatalf("GET = %d %q", resp.StatusCode, body)
		}
		disp, params, err := mime.ParseMediaType(resp.Header.Get("Content-Disposition"))
		if err != nil || disp != "attachment" || params["filename"] != "Bericht März.html" {
			t.Fatalf("Content-Disposition = %q (%v)", resp.Header.Get("Content-Disposition"), err)
		}
	})
	t.Run("lifetime out of range", func(t *testing.T) {
		for _, ttl := range []time.Duration{0, 8 * 24 * time.Hour} {
			if _, err := s.PresignGet(ctx, key, "x", ttl); !errors.Is(err, errInvalid) {
				t.Errorf("PresignGet(ttl %v) = %v, want apperr.Invalid", ttl, err)
			}
		}
	})
}

func TestS3StoppedIsUnavailable(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	srv := storagetest.Start(t)
	cfg := srv.Config("stopped")
	s, err := storage.NewS3(ctx, cfg)
	if err != nil {
		t.Fatalf("NewS3: %v", err)
	}
	key := storage.NewKey(1)
	mustPut(t, s, key, []byte("before"), "text/plain")

	srv.Stop()
	t.Run("get", func(t *testing.T) {
		if _, _, err := s.Get(ctx, key); !errors.Is(err, errUnavailable) {
			t.Fatalf("Get = %v, want apperr.Unavailable", err)
		}
	})
	t.Run("put", func(t *testing.T) {
		err := s.Put(ctx, storage.NewKey(1), strings.NewReader("after"), 5, "text/plain")
		if !errors.Is(err, errUnavailable) {
			t.Fatalf("Put = %v, want apperr.Unavailable", err)
		}
	})
	t.Run("delete", func(t *testing.T) {
		if err := s.Delete(ctx, key); !errors.Is(err, errUnavailable) {
			t.Fatalf("Delete = %v, want apperr.Unavailable", err)
		}
	})
	t.Run("ping", func(t *testing.T) {
		if err := s.Ping(ctx); !errors.Is(err, errUnavailable) {
			t.Fatalf("Ping = %v, want apperr.Unavailable", err)
		}
	})
	t.Run("connect", func(t *testing.T) {
		if _, err := storage.NewS3(ctx, cfg); !errors.Is(err, errUnavailable) {
			t.Fatalf("NewS3 = %v, want apperr.Unavailable", err)
		}
	})
}

func TestNewS3RefusesBadConfig(t *testing.T) {
	_, err := storage.NewS3(context.Background(), storage.S3Config{Endpoint: "127.0.0.1:9000"})
	if !errors.Is(err, errInvalid) {
		t.Fatalf("NewS3 without bucket = %v, want apperr.Invalid", err)
	}
}
