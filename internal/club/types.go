package club

import (
	"strconv"
	"strings"
	"time"
)

// Person is an account. A person without Member is a guest.
type Person struct {
	ID              int64
	Email           string
	PasswordHash    string
	FirstName       string
	LastName        string
	Phone           string // E.164
	IsActive        bool
	IsAdmin         bool
	Member          bool
	MemberSince     Date
	DuesPaidThrough Date
	SessionVersion  int
	AvatarKey       string
	EmailNews       bool
	EmailPolls      bool
	Version         int // optimistic lock of officer edits (0: not read)
	CreatedAt       time.Time
	UpdatedAt       time.Time
}

// Name is "First Last".
func (p Person) Name() string { return p.FirstName + " " + p.LastName }

// OfficerTerm is one position held in one season.
type OfficerTerm struct {
	ID         int64
	SeasonYear int
	Position   string
	PersonID   int64
	PersonName string
}

// Lake is a fishing venue; Key is its unique case-insensitive key.
type Lake struct {
	ID      int64
	Name    string
	Key     string
	Paper   bool
	MapURL  string
	Notes   string
	State   string // two-letter state, for map searches ("TX")
	Version int
	Ramps   []Ramp
}

// Ramp is a launch point on a lake.
type Ramp struct {
	ID     int64
	LakeID int64
	Name   string
	MapURL string
}

// Event is a calendar entry; a tournament has exactly one.
type Event struct {
	ID          int64
	Date        Date
	Kind        string
	Title       string
	StartTime   string // "HH:MM" club time, optional
	EndTime     string
	LakeID      int64
	RampID      int64
	Cancelled   bool
	Description string
	Version     int
	// Filled by joins for display.
	LakeName     string
	TournamentID int64
}

// Tournament is one club tournament with its stored scoring outcome.
type Tournament struct {
	ID          int64
	EventID     int64
	SeasonYear  int
	Name        string
	Date        Date
	StartTime   string
	EndTime     string
	LakeID      int64
	LakeName    string
	LakeMapURL  string
	RampID      int64
	RampName    string
	RampMapURL  string
	Format      string
	PointsCount bool
	Paper       bool
	Status      string
	FishLimit   int // 0 = season rule
	Description string
	HideLive    bool
	Cancelled   bool
	Version     int
	UpdatedAt   time.Time

	Entries             int
	PotTotalCents       int64
	BigBassPotCents     int64
	BigBassCarryInCents int64
	BigBassCarryFromID  int64
	BigBassCarriedOut   bool
	StatsJSON           string
}

// Result is one angler's weigh-in in one tournament plus its stored outcome.
type Result struct {
	ID              int64
	TournamentID    int64
	PersonID        int64
	FirstName       string
	LastName        string
	Fish            int
	Dead            int
	LateMinutes     int
	OtherPenalty    int64
	OtherReason     string
	Gross           int64
	BigBass         int64
	Lengths         string
	BuyIn           bool
	Disqualified    bool
	DQReason        string
	DQPointsAllowed bool
	WasMember       bool
	Locked          bool
	LockedPlace     *int // the lock's fixed place and points, kept apart from the outcome
	LockedPoints    *int
	// Outcome (derived by scoring): effective fish/dead/gross/big bass/buy-in/DQ
	// (a buy-in's are zero; a team angler's mirror the boat).
	OutFish     int
	OutDead     int
	OutGross    int64
	OutBigBass  int64
	OutBuyIn    bool
	OutDQ       bool
	OutDQReason string
	Penalty     int64
	Net         int64
	Place       *int
	Points      *int
	PrizeCents  int64
	TieNote     string
	Version     int
	UpdatedBy   int64
	UpdatedAt   time.Time

	// Input only, never stored: the officer confirmed a heavy weight (over
	// 50 lb gross or 20 lb big bass), and the reason for changing a result of
	// a complete tournament (the correction path; it goes into the audit).
	ConfirmHeavy bool   `json:"-"`
	Correction   string `json:"-"`
}

// Name is the angler's display name.
func (r Result) Name() string { return r.FirstName + " " + r.LastName }

// Boat is a team of one or two anglers in one tournament.
type Boat struct {
	ID              int64
	TournamentID    int64
	Anglers         []BoatAngler
	Fish            int
	Dead            int
	LateMinutes     int
	OtherPenalty    int64
	OtherReason     string
	Gross           int64
	BigBass         int64
	BuyIn           bool
	Disqualified    bool
	DQReason        string
	DQPointsAllowed bool
	// derived
	TotalFish    int
	TotalDead    int
	TotalBigBass int64
	Penalty      int64
	Net          int64
	IsDQ         bool
	IsBuyIn      bool
	Place        *int
	Points       *int
	PrizeCents   int64
	Version      int

	ConfirmHeavy bool   `json:"-"` // input only: heavy team weigh-in confirmed (see Result)
	Correction   string `json:"-"` // input only: why a complete tournament's boat changes (see Result)
}

// BoatAngler is one seat of a boat.
type BoatAngler struct {
	PersonID  int64
	FirstName string
	LastName  string
	Seat      int
}

// Payout is one stored prize of a tournament.
type Payout struct {
	ID           int64
	TournamentID int64
	Kind         string // place, big-bass, club, charity
	Position     int
	PersonID     int64
	BoatID       int64
	AmountCents  int64
	Note         string
	Name         string // winner's display name, filled by joins
}

// AuditEntry records one officer write.
type AuditEntry struct {
	ID           int64
	At           time.Time
	ActorID      int64
	ActorName    string
	ObjectKind   string
	ObjectID     int64
	Action       string
	TournamentID int64
	PersonID     int64
	Before       string
	After        string
}

// Season is a year with its rules and payout schedule stored as JSON.
type Season struct {
	Year         int
	RulesJSON    string
	PayoutJSON   string
	RulesMD      string
	RequiresDues bool
	Version      int
	UpdatedAt    time.Time
}

// Club is the installation's settings row.
type Club struct {
	Name           string
	ShortName      string
	Founded        int
	AboutMD        string
	BylawsMD       string
	MeetingPlace   string
	MeetingAddress string
	ContactEmail   string
	DuesCents      int64
	JoinMD         string // how to join (markdown)
	Version        int
}

// News is a club news post.
type News struct {
	ID        int64
	Title     string
	BodyMD    string
	PublishAt time.Time
	AuthorID  int64
	EmailedAt *time.Time
}

// Poll is a lake or generic poll; times are UTC instants.
type Poll struct {
	ID             int64
	Kind           string // lake, generic
	Title          string
	Description    string
	SeasonYear     int
	EventID        int64
	OpensAt        time.Time
	ClosesAt       time.Time
	Closed         bool
	Tie            bool
	WinnerOptionID int64
	CreatedBy      int64
	Options        []PollOption
}

// Open reports whether votes are accepted at now.
func (p Poll) Open(now time.Time) bool {
	return !p.Closed && !now.Before(p.OpensAt) && now.Before(p.ClosesAt)
}

// PollOption is one choice; lake options name a lake (and optionally a ramp).
type PollOption struct {
	ID        int64
	PollID    int64
	Label     string
	LakeID    int64
	RampID    int64
	StartTime string
	Position  int
	Votes     int // filled by PollWithCounts
}

// Vote is one member's vote; ProxyBy is the officer who cast it for them.
type Vote struct {
	PollID   int64
	OptionID int64
	PersonID int64
	ProxyBy  int64
}

// TournamentTitle names a tournament where its season is not already on the
// page (home, profiles, lakes, merge, the next/previous links): the club
// reuses names every year ("March Lake Bastrop"), so the year is appended
// unless the name carries it already.
func TournamentTitle(name string, d Date) string {
	year := strconv.Itoa(d.Year())
	if d.IsZero() || strings.Contains(name, year) {
		return name
	}
	return name + " " + year
}
