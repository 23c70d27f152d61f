package config

import (
	"fmt"
	"strings"
	"time"

	"github.com/caseroom/caseroom/pkg/auth"
)

// Mail is where Caseroom's mail goes: an SMTP relay, or (Host empty) nowhere but the outbox
// and the log, the embedded default.
type Mail struct {
	Host     string // CASEROOM_SMTP_HOST
	Port     int    // CASEROOM_SMTP_PORT
	TLS      string // CASEROOM_SMTP_TLS: opportunistic, mandatory or none
	Username string // CASEROOM_SMTP_USERNAME
	Password string // CASEROOM_SMTP_PASSWORD
	From     string // CASEROOM_MAIL_FROM
	// Interval is how often the outbox worker looks for mail (CASEROOM_OUTBOX_INTERVAL).
	Interval time.Duration
	// Backoff is the wait before a failed mail is tried again (CASEROOM_OUTBOX_BACKOFF),
	// doubled after every further failure up to BackoffMax (CASEROOM_OUTBOX_BACKOFF_MAX).
	// Mail is retried for a week whatever they are (outbox.DefaultGiveUpAfter).
	Backoff, BackoffMax time.Duration
}

// Files is where files & links are stored: an S3 endpoint (MinIO), or (S3Endpoint empty) a
// folder on disk, the embedded default.
type Files struct {
	S3Endpoint  string // CASEROOM_S3_ENDPOINT
	S3AccessKey string // CASEROOM_S3_ACCESS_KEY
	S3SecretKey string // CASEROOM_S3_SECRET_KEY
	S3Bucket    string // CASEROOM_S3_BUCKET
	S3Region    string // CASEROOM_S3_REGION
	S3Secure    bool   // CASEROOM_S3_SECURE
	Dir         string // CASEROOM_FILES_DIR
	// MaxConcurrent uploads stream at once per replica (CASEROOM_MAX_UPLOADS).
	MaxConcurrent int
	// MaxUpload is the largest upload in bytes (CASEROOM_MAX_UPLOAD_BYTES).
	MaxUpload int64
}

// Hashing bounds the password hashes (argon2id, 64 MiB each) a replica computes at once.
type Hashing struct {
	Concurrency int           // CASEROOM_HASH_CONCURRENCY
	Wait        time.Duration // CASEROOM_HASH_WAIT
}

// Infrastructure is what both services read about their surroundings.
type Infrastructure struct {
	Mail    Mail
	Files   Files
	Hashing Hashing
	// TrustedProxies are the load balancers whose X-Forwarded-For is believed
	// (CASEROOM_TRUSTED_PROXIES, comma-separated addresses or CIDR ranges).
	TrustedProxies []string
}

// LoadInfrastructure reads Infrastructure; defaultMaxUpload differs per service.
func LoadInfrastructure(defaultMaxUpload int64) (Infrastructure, error) {
	var in Infrastructure
	var err error
	in.Mail = Mail{Host: String("CASEROOM_SMTP_HOST", ""), TLS: String("CASEROOM_SMTP_TLS", "opportunistic"),
		Username: String("CASEROOM_SMTP_USERNAME", ""), Password: String("CASEROOM_SMTP_PASSWORD", ""),
		From: String("CASEROOM_MAIL_FROM", "Caseroom <noreply@caseroom.localhost>")}
	if in.Mail.Port, err = Int("CASEROOM_SMTP_PORT", 587); err != nil {
		return in, err
	}
	if in.Mail.Interval, err = Duration("CASEROOM_OUTBOX_INTERVAL", 5*time.Second); err != nil || in.Mail.Interval <= 0 {
		return in, fmt.Errorf("CASEROOM_OUTBOX_INTERVAL: want a positive duration")
	}
	if in.Mail.Backoff, err = Duration("CASEROOM_OUTBOX_BACKOFF", time.Minute); err != nil || in.Mail.Backoff <= 0 {
		return in, fmt.Errorf("CASEROOM_OUTBOX_BACKOFF: want a positive duration")
	}
	if in.Mail.BackoffMax, err = Duration("CASEROOM_OUTBOX_BACKOFF_MAX", time.Hour); err != nil || in.Mail.BackoffMax < in.Mail.Backoff {
		return in, fmt.Errorf("CASEROOM_OUTBOX_BACKOFF_MAX: want a duration no shorter than CASEROOM_OUTBOX_BACKOFF")
	}
	in.Files = Files{S3Endpoint: String("CASEROOM_S3_ENDPOINT", ""), S3AccessKey: String("CASEROOM_S3_ACCESS_KEY", ""),
		S3SecretKey: String("CASEROOM_S3_SECRET_KEY", ""), S3Bucket: String("CASEROOM_S3_BUCKET", "caseroom"),
		S3Region: String("CASEROOM_S3_REGION", ""), S3Secure: String("CASEROOM_S3_SECURE", "") == "true",
		Dir: String("CASEROOM_FILES_DIR", "data/files")}
	if in.Files.MaxConcurrent, err = Int("CASEROOM_MAX_UPLOADS", 16); err != nil || in.Files.MaxConcurrent < 1 {
		return in, fmt.Errorf("CASEROOM_MAX_UPLOADS: want a positive number")
	}
	maxUpload, err := Int("CASEROOM_MAX_UPLOAD_BYTES", int(defaultMaxUpload))
	if err != nil || maxUpload <= 0 {
		return in, fmt.Errorf("CASEROOM_MAX_UPLOAD_BYTES: want a positive number of bytes")
	}
	in.Files.MaxUpload = int64(maxUpload)
	if in.Hashing.Concurrency, err = Int("CASEROOM_HASH_CONCURRENCY", auth.DefaultHashConcurrency); err != nil || in.Hashing.Concurrency < 1 {
		return in, fmt.Errorf("CASEROOM_HASH_CONCURRENCY: want a positive number")
	}
	if in.Hashing.Wait, err = Duration("CASEROOM_HASH_WAIT", auth.DefaultHashWait); err != nil {
		return in, err
	}
	for _, p := range strings.Split(String("CASEROOM_TRUSTED_PROXIES", ""), ",") {
		if p = strings.TrimSpace(p); p != "" {
			in.TrustedProxies = append(in.TrustedProxies, p)
		}
	}
	return in, nil
}
