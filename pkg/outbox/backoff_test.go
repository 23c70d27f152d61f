package outbox_test

import (
	"testing"
	"time"

	"github.com/caseroom/caseroom/pkg/outbox"
)

func TestExponentialBackoff(t *testing.T) {
	b := outbox.ExponentialBackoff(time.Minute, time.Hour)
	tests := []struct {
		attempt int
		want    time.Duration
	}{
		{0, time.Minute},
		{1, time.Minute},
		{2, 2 * time.Minute},
		{3, 4 * time.Minute},
		{7, time.Hour}, // 64 minutes, capped
		{1000, time.Hour},
	}
	for _, tt := range tests {
		if got := b(tt.attempt); got != tt.want {
			t.Errorf("Backoff(%d) = %v, want %v", tt.attempt, got, tt.want)
		}
	}
}
