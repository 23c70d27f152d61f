package model

import (
	"time"

	"github.com/uptrace/bun"
)

// OutboxEmail is a mail waiting to be sent; it is written in the same transaction as the
// change that caused it, so no mail is lost when SMTP is down.
type OutboxEmail struct {
	bun.BaseModel `bun:"table:outbox_emails"`

	ID            int64      `bun:"id,pk,autoincrement"`
	Recipient     string     `bun:"recipient"`
	Subject       string     `bun:"subject"`
	BodyText      string     `bun:"body_text"`
	BodyHTML      string     `bun:"body_html"`
	Status        string     `bun:"status"`
	Attempts      int        `bun:"attempts"`
	NextAttemptAt time.Time  `bun:"next_attempt_at"`
	LockedUntil   *time.Time `bun:"locked_until"`
	LockedBy      string     `bun:"locked_by"`
	LastError     string     `bun:"last_error"`
	CreatedAt     time.Time  `bun:"created_at"`
	SentAt        *time.Time `bun:"sent_at"`
}

// ChangeRecord is one entry of the change history. Changes is a JSON object
// {"field": {"before": …, "after": …}}.
type ChangeRecord struct {
	bun.BaseModel `bun:"table:change_history"`

	ID             int64     `bun:"id,pk,autoincrement"`
	OccurredAt     time.Time `bun:"occurred_at"`
	ActorUserID    *int64    `bun:"actor_user_id"`
	ActorContactID *int64    `bun:"actor_contact_id"`
	Action         string    `bun:"action"`
	ResourceType   string    `bun:"resource_type"`
	ResourceID     int64     `bun:"resource_id"`
	CaseID         *int64    `bun:"case_id"`
	SubjectUserID  *int64    `bun:"subject_user_id"`
	Changes        string    `bun:"changes"`
}

// LoginAttempt is one failed or throttled login, kept in the database so that the limit
// holds across replicas.
type LoginAttempt struct {
	bun.BaseModel `bun:"table:login_attempts"`

	ID          int64     `bun:"id,pk,autoincrement"`
	Bucket      string    `bun:"bucket"`
	AttemptedAt time.Time `bun:"attempted_at"`
	Failed      bool      `bun:"failed"`
}
