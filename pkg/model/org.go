package model

import (
	"time"

	"github.com/uptrace/bun"
)

// Settings is the organisation's single settings row (id 1).
type Settings struct {
	bun.BaseModel `bun:"table:settings"`

	ID                int64  `bun:"id,pk"`
	OrganizationName  string `bun:"organization_name"`
	Currency          string `bun:"currency"`
	WorkHourApproval  bool   `bun:"work_hour_approval"`
	TravelEnabled     bool   `bun:"travel_enabled"`
	TempPasswordHours int    `bun:"temp_password_hours"`
	// The firm's brand on portal pages and mails: its name is OrganizationName.
	BrandLogoURL string `bun:"brand_logo_url"`
	BrandAccent  string `bun:"brand_accent"`
	// InviteSendsPassword puts a temporary password in invitation mails next to the
	// single-use link; off (the default for new firms), the mail carries the link only.
	InviteSendsPassword bool `bun:"invite_sends_password"`
	// Locale and TimeZone are the defaults for contacts who chose none.
	Locale   string `bun:"locale"`
	TimeZone string `bun:"time_zone"`
	// DigestMinutes is how often news of the portal is gathered into one mail a recipient.
	DigestMinutes int       `bun:"digest_minutes"`
	Version       int64     `bun:"version"`
	UpdatedAt     time.Time `bun:"updated_at"`
}

// BusinessUnit is a node of the unit tree (RIGHTS.md ORG-3).
type BusinessUnit struct {
	bun.BaseModel `bun:"table:business_units"`

	ID        int64     `bun:"id,pk,autoincrement"`
	Name      string    `bun:"name"`
	ParentID  *int64    `bun:"parent_id"`
	Version   int64     `bun:"version"`
	CreatedAt time.Time `bun:"created_at"`
	UpdatedAt time.Time `bun:"updated_at"`
}

// InvoiceStatus is one entry of the ordered invoice-status list (RIGHTS.md section 5).
type InvoiceStatus struct {
	bun.BaseModel `bun:"table:invoice_statuses"`

	ID       int64  `bun:"id,pk,autoincrement"`
	Name     string `bun:"name"`
	Position int    `bun:"position"`
	Active   bool   `bun:"active"`
	Version  int64  `bun:"version"`
}

// Profile is an access-rights profile: one text column per right, named as in RIGHTS.md.
type Profile struct {
	bun.BaseModel `bun:"table:profiles"`

	ID                     int64     `bun:"id,pk,autoincrement"`
	Key                    *string   `bun:"key"`
	Name                   string    `bun:"name"`
	Accounts               string    `bun:"accounts"`
	DeleteAccounts         bool      `bun:"delete_accounts"`
	Cases                  string    `bun:"cases"`
	DeleteCases            bool      `bun:"delete_cases"`
	OwnResourceAllocations bool      `bun:"own_resource_allocations"`
	JoinCases              string    `bun:"join_cases"`
	Users                  string    `bun:"users"`
	InvoiceStatus          string    `bun:"invoice_status"`
	ScheduledInvoicing     bool      `bun:"scheduled_invoicing"`
	Approval               string    `bun:"approval"`
	ApproveOwnCases        bool      `bun:"approve_own_cases"`
	Travel                 string    `bun:"travel"`
	Sharing                bool      `bun:"sharing"`
	Admin                  string    `bun:"admin"`
	Version                int64     `bun:"version"`
	CreatedAt              time.Time `bun:"created_at"`
	UpdatedAt              time.Time `bun:"updated_at"`
}

// User is an employee of the firm.
type User struct {
	bun.BaseModel `bun:"table:users"`

	ID           int64     `bun:"id,pk,autoincrement"`
	Email        string    `bun:"email"`
	Name         string    `bun:"name"`
	PasswordHash string    `bun:"password_hash"`
	UnitID       int64     `bun:"unit_id"`
	SupervisorID *int64    `bun:"supervisor_id"`
	ProfileID    int64     `bun:"profile_id"`
	APIAccess    bool      `bun:"api_access"`
	Active       bool      `bun:"active"`
	HourlyPrice  int64     `bun:"hourly_price"`
	HourlyCost   int64     `bun:"hourly_cost"`
	TokenVersion int64     `bun:"token_version"`
	Version      int64     `bun:"version"`
	CreatedAt    time.Time `bun:"created_at"`
	UpdatedAt    time.Time `bun:"updated_at"`
}

// RightOverride replaces one right of a user's profile for that user (RIGHTS.md ORG-5).
type RightOverride struct {
	bun.BaseModel `bun:"table:user_right_overrides"`

	UserID    int64  `bun:"user_id,pk"`
	RightName string `bun:"right_name,pk"`
	Value     string `bun:"value"`
}

// APIKey is a user's key; only a hash of the secret is kept (RIGHTS.md API-3).
type APIKey struct {
	bun.BaseModel `bun:"table:api_keys"`

	ID         int64      `bun:"id,pk,autoincrement"`
	UserID     int64      `bun:"user_id"`
	Name       string     `bun:"name"`
	Prefix     string     `bun:"prefix"`
	SecretHash string     `bun:"secret_hash"`
	CreatedAt  time.Time  `bun:"created_at"`
	LastUsedAt *time.Time `bun:"last_used_at"`
	RevokedAt  *time.Time `bun:"revoked_at"`
}
