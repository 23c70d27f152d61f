package model

import (
	"time"

	"github.com/uptrace/bun"
)

// ExtranetShare publishes one case to contacts of its account, with the chosen sections
// (RIGHTS.md EXT-3).
type ExtranetShare struct {
	bun.BaseModel `bun:"table:extranet_shares"`

	ID             int64 `bun:"id,pk,autoincrement"`
	CaseID         int64 `bun:"case_id"`
	ShowFinancials bool  `bun:"show_financials"`
	ShowPhases     bool  `bun:"show_phases"`
	ShowOther      bool  `bun:"show_other"`
	// The kinds of data within the sections (EXT-3) that the firm hides: a kind shows when
	// its section is shared and it is not hidden.
	HideBilling     bool      `bun:"hide_billing"`     // Financials: budget, invoiced total, invoices
	HideHourPrices  bool      `bun:"hide_hour_prices"` // Financials: the price of each work hour
	HideStatus      bool      `bun:"hide_status"`      // Other: the case status
	HideHours       bool      `bun:"hide_hours"`       // Other: work hours
	HideFiles       bool      `bun:"hide_files"`       // Other: files & links
	CreatedByUserID int64     `bun:"created_by_user_id"`
	Version         int64     `bun:"version"`
	CreatedAt       time.Time `bun:"created_at"`
	UpdatedAt       time.Time `bun:"updated_at"`
}

// ShareContact is one invited contact of a share with their own rights (RIGHTS.md EXT-2, EXT-6).
type ShareContact struct {
	bun.BaseModel `bun:"table:share_contacts"`

	ID              int64      `bun:"id,pk,autoincrement"`
	ShareID         int64      `bun:"share_id"`
	ContactID       int64      `bun:"contact_id"`
	CanApprove      bool       `bun:"can_approve"`
	CanComment      bool       `bun:"can_comment"`
	CanUpload       bool       `bun:"can_upload"`
	CanChangeStatus bool       `bun:"can_change_status"`
	ExpiresAt       *time.Time `bun:"expires_at"`
	InvitedAt       time.Time  `bun:"invited_at"`
}

// ContactCredential is a contact's portal password and session state (RIGHTS.md EXT-9).
type ContactCredential struct {
	bun.BaseModel `bun:"table:contact_credentials"`

	ContactID         int64      `bun:"contact_id,pk"`
	PasswordHash      string     `bun:"password_hash"`
	PasswordTemporary bool       `bun:"password_temporary"`
	PasswordExpiresAt *time.Time `bun:"password_expires_at"`
	TokenVersion      int64      `bun:"token_version"`
	InviteTokenHash   *string    `bun:"invite_token_hash"`
	InviteExpiresAt   *time.Time `bun:"invite_expires_at"`
	InviteUsedAt      *time.Time `bun:"invite_used_at"`
	// ResetTokenHash is the hash of the live password-reset link, if any.
	ResetTokenHash *string    `bun:"reset_token_hash"`
	ResetExpiresAt *time.Time `bun:"reset_expires_at"`
	Disabled       bool       `bun:"disabled"`
	UpdatedAt      time.Time  `bun:"updated_at"`
}
