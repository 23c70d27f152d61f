package config_test

import (
	"slices"
	"testing"
	"time"

	"github.com/caseroom/caseroom/pkg/config"
)

// The infrastructure settings are read once, into the one Config each service builds in main.
func TestLoadInfrastructure(t *testing.T) {
	t.Setenv("CASEROOM_SMTP_HOST", "relay.example")
	t.Setenv("CASEROOM_SMTP_PORT", "2525")
	t.Setenv("CASEROOM_S3_ENDPOINT", "minio:9000")
	t.Setenv("CASEROOM_TRUSTED_PROXIES", " 10.0.0.1, 10.1.0.0/16 ,")
	t.Setenv("CASEROOM_OUTBOX_INTERVAL", "2s")
	t.Setenv("CASEROOM_OUTBOX_BACKOFF", "1s")
	in, err := config.LoadInfrastructure(1 << 20)
	if err != nil {
		t.Fatal(err)
	}
	if in.Mail.Host != "relay.example" || in.Mail.Port != 2525 || in.Mail.Interval != 2*time.Second ||
		in.Mail.Backoff != time.Second || in.Mail.BackoffMax != time.Hour || in.Files.S3Endpoint != "minio:9000" ||
		in.Files.S3Bucket != "caseroom" || in.Files.MaxUpload != 1<<20 || !slices.Equal(in.TrustedProxies, []string{"10.0.0.1", "10.1.0.0/16"}) {
		t.Fatalf("read %+v", in)
	}
	for name, bad := range map[string]string{"CASEROOM_MAX_UPLOAD_BYTES": "-1", "CASEROOM_MAX_UPLOADS": "0",
		"CASEROOM_HASH_CONCURRENCY": "x", "CASEROOM_SMTP_PORT": "many", "CASEROOM_OUTBOX_INTERVAL": "0s",
		"CASEROOM_OUTBOX_BACKOFF": "-1m", "CASEROOM_OUTBOX_BACKOFF_MAX": "500ms"} {
		t.Run(name, func(t *testing.T) {
			t.Setenv(name, bad)
			if _, err := config.LoadInfrastructure(1 << 20); err == nil {
				t.Fatalf("%s=%s was accepted", name, bad)
			}
		})
	}
}

// The app's address is optional: production without it links nowhere, development links to
// the API on its default address, and a set value must be an absolute http(s) address.
func TestAppURL(t *testing.T) {
	for _, tc := range []struct {
		env       config.Env
		raw, want string
	}{
		{config.Production, "", ""},
		{config.Development, "", config.DefaultAppURL},
		{config.Production, "https://caseroom.example.com/", "https://caseroom.example.com"},
	} {
		t.Setenv("CASEROOM_APP_URL", tc.raw)
		got, err := config.AppURL(tc.env, config.DefaultAppURL)
		if err != nil || got != tc.want {
			t.Errorf("%v with %q: %q, %v; want %q", tc.env, tc.raw, got, err, tc.want)
		}
	}
	for _, bad := range []string{"caseroom.example.com", "ftp://caseroom.example.com", "https://"} {
		t.Setenv("CASEROOM_APP_URL", bad)
		if _, err := config.AppURL(config.Production, config.DefaultAppURL); err == nil {
			t.Errorf("%q was accepted", bad)
		}
	}
}
