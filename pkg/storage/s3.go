package storage

import (
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/url"
	"time"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"

	"github.com/caseroom/caseroom/pkg/apperr"
)

// S3Config is how to reach an S3-compatible store.
type S3Config struct {
	// Endpoint is host[:port] without a scheme, "minio:9000" or "s3.eu-central-1.amazonaws.com".
	Endpoint  string
	AccessKey string
	SecretKey string
	// Bucket is created at start-up when it does not exist.
	Bucket string
	// Secure selects HTTPS.
	Secure bool
	// Region is needed by AWS; MinIO ignores it.
	Region string
	// MaxRetries bounds how often one request is retried; 0 means minio-go's default
	// (10, about ten seconds before a dead store is reported).
	MaxRetries int
}

// S3 is a Store on an S3 bucket (MinIO in production) using minio-go. It also implements
// Presigner.
type S3 struct {
	client *minio.Client
	bucket string
}

// NewS3 connects to the store and creates the bucket when it is missing. It returns
// apperr.Invalid for an unusable configuration and apperr.Unavailable when the store
// cannot be reached.
func NewS3(ctx context.Context, cfg S3Config) (*S3, error) {
	if cfg.Endpoint == "" || cfg.Bucket == "" {
		return nil, apperr.E(apperr.Invalid, "S3 endpoint and bucket are required")
	}
	client, err := minio.New(cfg.Endpoint, &minio.Options{
		Creds:      credentials.NewStaticV4(cfg.AccessKey, cfg.SecretKey, ""),
		Secure:     cfg.Secure,
		Region:     cfg.Region,
		MaxRetries: cfg.MaxRetries,
	})
	if err != nil {
		return nil, fmt.Errorf("open S3 store: %w", apperr.E(apperr.Invalid, "bad S3 configuration: %v", err))
	}
	s := &S3{client: client, bucket: cfg.Bucket}
	exists, err := client.BucketExists(ctx, cfg.Bucket)
	if err != nil {
		return nil, s3Err("open S3 bucket", cfg.Bucket, err)
	}
	if !exists {
		err := client.MakeBucket(ctx, cfg.Bucket, minio.MakeBucketOptions{Region: cfg.Region})
		// Another replica starting at the same moment may have won the race.
		if code := minio.ToErrorResponse(err).Code; err != nil && code != "BucketAlreadyOwnedByYou" {
			return nil, s3Err("create S3 bucket", cfg.Bucket, err)
		}
	}
	return s, nil
}

// Bucket is the bucket the store writes to.
func (s *S3) Bucket() string { return s.bucket }

// Put implements Store.
func (s *S3) Put(ctx context.Context, key string, r io.Reader, size int64, contentType string) error {
	if err := CheckKey(key); err != nil {
		return fmt.Errorf("put file: %w", err)
	}
	if contentType == "" {
		contentType = "application/octet-stream"
	}
	body := &sizedReader{r: r, want: size}
	opts := minio.PutObjectOptions{ContentType: contentType}
	if size < 0 {
		// Without a known size minio-go would set aside a part buffer of hundreds of MiB per
		// upload; S3's smallest part size keeps a streamed upload's memory at 5 MiB.
		opts.PartSize = 5 << 20
	}
	_, err := s.client.PutObject(ctx, s.bucket, key, body, size, opts)
	if err != nil {
		if body.err != nil {
			// The upload itself failed (too large, client gone), not the store.
			return fmt.Errorf("put file %s: %w", key, body.err)
		}
		return s3Err("put file", key, err)
	}
	return nil
}

// Get implements Store. It asks for the object's metadata first, so that a missing key
// is reported here rather than on the first Read.
func (s *S3) Get(ctx context.Context, key string) (io.ReadCloser, Info, error) {
	if err := CheckKey(key); err != nil {
		return nil, Info{}, fmt.Errorf("get file: %w", err)
	}
	obj, err := s.client.GetObject(ctx, s.bucket, key, minio.GetObjectOptions{})
	if err != nil {
		return nil, Info{}, s3Err("get file", key, err)
	}
	st, err := obj.Stat()
	if err != nil {
		obj.Close()
		return nil, Info{}, s3Err("get file", key, err)
	}
	return obj, Info{Key: key, Size: st.Size, ContentType: st.ContentType, ModTime: st.LastModified}, nil
}

// Delete implements Store.
func (s *S3) Delete(ctx context.Context, key string) error {
	if err := CheckKey(key); err != nil {
		return fmt.Errorf("delete file: %w", err)
	}
	if err := s.client.RemoveObject(ctx, s.bucket, key, minio.RemoveObjectOptions{}); err != nil {
		return s3Err("delete file", key, err)
	}
	return nil
}

// Ping implements Store: the store answers and the bucket exists.
func (s *S3) Ping(ctx context.Context) error {
	exists, err := s.client.BucketExists(ctx, s.bucket)
	if err != nil {
		return s3Err("ping S3 bucket", s.bucket, err)
	}
	if !exists {
		return unavailable(fmt.Errorf("ping S3 bucket %s: bucket is missing", s.bucket))
	}
	return nil
}

// PresignGet implements Presigner. The link makes the browser save the file as filename
// instead of showing it, so that uploaded HTML can never run on the store's origin.
// ttl must lie between one second and seven days (S3's limits), or it is apperr.Invalid.
func (s *S3) PresignGet(ctx context.Context, key, filename string, ttl time.Duration) (string, error) {
	if err := CheckKey(key); err != nil {
		return "", fmt.Errorf("presign file: %w", err)
	}
	if ttl < time.Second || ttl > 7*24*time.Hour {
		return "", fmt.Errorf("presign file %s: %w", key, apperr.E(apperr.Invalid, "link lifetime out of range"))
	}
	disposition := mime.FormatMediaType("attachment", map[string]string{"filename": filename})
	if filename == "" || disposition == "" {
		disposition = "attachment" // no name, or one that cannot be encoded
	}
	params := url.Values{"response-content-disposition": {disposition}}
	u, err := s.client.PresignedGetObject(ctx, s.bucket, key, ttl, params)
	if err != nil {
		return "", s3Err("presign file", key, err)
	}
	return u.String(), nil
}

// s3Err turns a minio-go error into a domain error: a missing object is NotFound,
// anything else means the store cannot serve us (down, wrong credentials, no bucket).
func s3Err(op, key string, err error) error {
	var ae *apperr.Error
	if errors.As(err, &ae) {
		return fmt.Errorf("%s %s: %w", op, key, err)
	}
	if code := minio.ToErrorResponse(err).Code; code == "NoSuchKey" {
		return fmt.Errorf("%s %s: %w", op, key, &apperr.Error{Code: apperr.NotFound, Detail: "file not found", Err: err})
	}
	return unavailable(fmt.Errorf("%s %s: %w", op, key, err))
}
