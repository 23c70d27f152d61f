package model

import (
	"time"

	"github.com/uptrace/bun"
)

// WorkHour is time a user spent on a case. Price and cost are per hour, in minor units.
type WorkHour struct {
	bun.BaseModel `bun:"table:work_hours"`

	ID                  int64      `bun:"id,pk,autoincrement"`
	CaseID              int64      `bun:"case_id"`
	PhaseID             *int64     `bun:"phase_id"`
	UserID              int64      `bun:"user_id"`
	WorkDate            Date       `bun:"work_date"`
	Minutes             int        `bun:"minutes"`
	Description         string     `bun:"description"`
	Billable            bool       `bun:"billable"`
	UnitPrice           int64      `bun:"unit_price"`
	UnitCost            int64      `bun:"unit_cost"`
	ApprovalStatus      string     `bun:"approval_status"`
	ApprovedByUserID    *int64     `bun:"approved_by_user_id"`
	ApprovedByContactID *int64     `bun:"approved_by_contact_id"`
	ApprovedAt          *time.Time `bun:"approved_at"`
	RejectComment       string     `bun:"reject_comment"`
	InvoiceID           *int64     `bun:"invoice_id"`
	Version             int64      `bun:"version"`
	CreatedAt           time.Time  `bun:"created_at"`
	UpdatedAt           time.Time  `bun:"updated_at"`
}

// Price is the billable value of the entry in minor units (rounded down).
func (h WorkHour) Price() int64 { return h.UnitPrice * int64(h.Minutes) / 60 }

// Cost is the labour cost of the entry in minor units (rounded down).
func (h WorkHour) Cost() int64 { return h.UnitCost * int64(h.Minutes) / 60 }

// Invoice bills a case. Its status is a position in the ordered status list.
type Invoice struct {
	bun.BaseModel `bun:"table:invoices"`

	ID            int64     `bun:"id,pk,autoincrement"`
	CaseID        int64     `bun:"case_id"`
	Number        string    `bun:"number"`
	StatusID      int64     `bun:"status_id"`
	IssueDate     Date      `bun:"issue_date"`
	DueDate       Date      `bun:"due_date"`
	Total         int64     `bun:"total"`
	Currency      string    `bun:"currency"`
	CreditOfID    *int64    `bun:"credit_of_id"`
	ReminderCount int       `bun:"reminder_count"`
	Scheduled     bool      `bun:"scheduled"`
	Version       int64     `bun:"version"`
	CreatedAt     time.Time `bun:"created_at"`
	UpdatedAt     time.Time `bun:"updated_at"`
}

// InvoiceRow is one line of an invoice, usually made from a work-hour entry.
type InvoiceRow struct {
	bun.BaseModel `bun:"table:invoice_rows"`

	ID              int64  `bun:"id,pk,autoincrement"`
	InvoiceID       int64  `bun:"invoice_id"`
	WorkHourID      *int64 `bun:"work_hour_id"`
	Description     string `bun:"description"`
	QuantityMinutes int    `bun:"quantity_minutes"`
	UnitPrice       int64  `bun:"unit_price"`
	Total           int64  `bun:"total"`
}

// TravelReimbursement is a travel expense claim of a user.
type TravelReimbursement struct {
	bun.BaseModel `bun:"table:travel_reimbursements"`

	ID               int64      `bun:"id,pk,autoincrement"`
	UserID           int64      `bun:"user_id"`
	CaseID           *int64     `bun:"case_id"`
	TravelDate       Date       `bun:"travel_date"`
	Description      string     `bun:"description"`
	Amount           int64      `bun:"amount"`
	Status           string     `bun:"status"`
	ApprovedByUserID *int64     `bun:"approved_by_user_id"`
	ApprovedAt       *time.Time `bun:"approved_at"`
	Version          int64      `bun:"version"`
	CreatedAt        time.Time  `bun:"created_at"`
	UpdatedAt        time.Time  `bun:"updated_at"`
}

// Activity is a calendar entry (RIGHTS.md section 12).
type Activity struct {
	bun.BaseModel `bun:"table:activities"`

	ID          int64     `bun:"id,pk,autoincrement"`
	OwnerID     int64     `bun:"owner_id"`
	Category    string    `bun:"category"`
	Name        string    `bun:"name"`
	Description string    `bun:"description"`
	StartsAt    time.Time `bun:"starts_at"`
	EndsAt      time.Time `bun:"ends_at"`
	CaseID      *int64    `bun:"case_id"`
	AccountID   *int64    `bun:"account_id"`
	Version     int64     `bun:"version"`
	CreatedAt   time.Time `bun:"created_at"`
	UpdatedAt   time.Time `bun:"updated_at"`
}

// ActivityParticipant links a user to an activity they take part in.
type ActivityParticipant struct {
	bun.BaseModel `bun:"table:activity_participants"`

	ActivityID int64 `bun:"activity_id,pk"`
	UserID     int64 `bun:"user_id,pk"`
}
