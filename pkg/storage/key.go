package storage

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"strings"

	"github.com/caseroom/caseroom/pkg/apperr"
)

// maxKeyLen is well under S3's 1024-byte limit and any file system's path limit.
const maxKeyLen = 512

// NewKey returns a fresh key for a file of case caseID: "cases/<id>/<128 random bits in
// hex>". The case prefix lets an operator find or remove a case's files; the random part
// makes keys unguessable and unique without a round trip to the store.
func NewKey(caseID int64) string {
	b := make([]byte, 16)
	_, _ = rand.Read(b) // crypto/rand.Read never fails (Go 1.24+).
	return fmt.Sprintf("cases/%d/%s", caseID, hex.EncodeToString(b))
}

// CheckKey accepts keys of slash-separated segments of letters, digits, '.', '_' and '-'
// that start with a letter or digit. That rules out "..", absolute paths, backslashes and
// hidden names (which Disk uses for its own bookkeeping). It returns apperr.Invalid.
func CheckKey(key string) error {
	if key == "" || len(key) > maxKeyLen {
		return apperr.E(apperr.Invalid, "storage key has a bad length")
	}
	for _, seg := range strings.Split(key, "/") {
		if seg == "" || !isAlnum(seg[0]) {
			return apperr.E(apperr.Invalid, "storage key %q has a bad segment", key)
		}
		for i := 0; i < len(seg); i++ {
			if c := seg[i]; !isAlnum(c) && c != '.' && c != '_' && c != '-' {
				return apperr.E(apperr.Invalid, "storage key %q has a bad character", key)
			}
		}
	}
	return nil
}

func isAlnum(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}
