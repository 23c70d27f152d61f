package model

import (
	"time"

	"github.com/uptrace/bun"
)

// Case is a customer project (RIGHTS.md ORG-4).
type Case struct {
	bun.BaseModel `bun:"table:cases"`

	ID                int64     `bun:"id,pk,autoincrement"`
	AccountID         int64     `bun:"account_id"`
	OwnerID           int64     `bun:"owner_id"`
	UnitID            int64     `bun:"unit_id"`
	Name              string    `bun:"name"`
	Status            string    `bun:"status"`
	BillingForecast   int64     `bun:"billing_forecast"`
	ExpenseForecast   int64     `bun:"expense_forecast"`
	ExpectedValue     int64     `bun:"expected_value"`
	Probability       int       `bun:"probability"`
	ExpectedOrderDate Date      `bun:"expected_order_date"`
	StartsOn          Date      `bun:"starts_on"`
	EndsOn            Date      `bun:"ends_on"`
	Version           int64     `bun:"version"`
	CreatedAt         time.Time `bun:"created_at"`
	UpdatedAt         time.Time `bun:"updated_at"`
}

// CaseMember links a user to a case they work on.
type CaseMember struct {
	bun.BaseModel `bun:"table:case_members"`

	CaseID    int64     `bun:"case_id,pk"`
	UserID    int64     `bun:"user_id,pk"`
	CreatedAt time.Time `bun:"created_at"`
}

// Phase is a stage of a case; extranet contacts may approve it.
type Phase struct {
	bun.BaseModel `bun:"table:phases"`

	ID                  int64      `bun:"id,pk,autoincrement"`
	CaseID              int64      `bun:"case_id"`
	Name                string     `bun:"name"`
	Status              string     `bun:"status"`
	StartsOn            Date       `bun:"starts_on"`
	EndsOn              Date       `bun:"ends_on"`
	ApprovalStatus      string     `bun:"approval_status"`
	ApprovedByUserID    *int64     `bun:"approved_by_user_id"`
	ApprovedByContactID *int64     `bun:"approved_by_contact_id"`
	ApprovedAt          *time.Time `bun:"approved_at"`
	ApprovalComment     string     `bun:"approval_comment"`
	Version             int64      `bun:"version"`
	CreatedAt           time.Time  `bun:"created_at"`
	UpdatedAt           time.Time  `bun:"updated_at"`
}

// File is a file or a link attached to a case (the "files & links" section).
// Files live in object storage under StorageKey, which the server generates.
type File struct {
	bun.BaseModel `bun:"table:files"`

	ID                  int64     `bun:"id,pk,autoincrement"`
	CaseID              int64     `bun:"case_id"`
	PhaseID             *int64    `bun:"phase_id"`
	Kind                string    `bun:"kind"`
	Name                string    `bun:"name"`
	URL                 string    `bun:"url"`
	StorageKey          *string   `bun:"storage_key"`
	ContentType         string    `bun:"content_type"`
	SizeBytes           int64     `bun:"size_bytes"`
	SHA256              string    `bun:"sha256"`
	UploadedByUserID    *int64    `bun:"uploaded_by_user_id"`
	UploadedByContactID *int64    `bun:"uploaded_by_contact_id"`
	Version             int64     `bun:"version"`
	CreatedAt           time.Time `bun:"created_at"`
}

// Comment is a remark on a case, a phase or a file, by a user or a contact.
type Comment struct {
	bun.BaseModel `bun:"table:comments"`

	ID              int64      `bun:"id,pk,autoincrement"`
	CaseID          int64      `bun:"case_id"`
	TargetType      string     `bun:"target_type"`
	TargetID        int64      `bun:"target_id"`
	Body            string     `bun:"body"`
	AuthorUserID    *int64     `bun:"author_user_id"`
	AuthorContactID *int64     `bun:"author_contact_id"`
	Version         int64      `bun:"version"`
	CreatedAt       time.Time  `bun:"created_at"`
	UpdatedAt       *time.Time `bun:"updated_at"`
}
