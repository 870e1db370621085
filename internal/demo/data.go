package demo

// Central Texas lakes the club fishes, with ramps. Paper lakes are length-scored
// (catch, measure, release) — the club's rule for small city lakes.
var lakes = []struct {
	name  string
	paper bool
	ramps []string
}{
	{"Lake Travis", false, []string{"Mansfield Dam Park", "Hurst Harbor", "Pace Bend Park"}},
	{"Lake Austin", false, []string{"Walsh Boat Landing", "Emma Long Park"}},
	{"Lady Bird Lake", true, []string{"Festival Beach"}},
	{"Inks Lake", false, []string{"Inks Lake State Park"}},
	{"Lake LBJ", false, []string{"Kingsland Ramp", "Sunrise Beach"}},
	{"Lake Buchanan", false, []string{"Black Rock Park", "Burnet County Park"}},
	{"Lake Marble Falls", false, []string{"Johnson Park"}},
	{"Canyon Lake", false, []string{"Cranes Mill Park", "Canyon Park"}},
	{"Lake Belton", false, []string{"Cedar Ridge Park", "Temple Lake Park"}},
	{"Stillhouse Hollow Lake", false, []string{"Union Grove", "Riversbend Park"}},
	{"Lake Georgetown", false, []string{"Cedar Breaks Park", "Jim Hogg Park"}},
	{"Granger Lake", false, []string{"Willis Creek Park", "Taylor Park"}},
	{"Lake Somerville", false, []string{"Rocky Creek Park", "Welch Park"}},
	{"Lake Bastrop", false, []string{"North Shore Park", "South Shore Park"}},
	{"Walter E. Long Lake", false, []string{"Decker Lake Ramp"}},
	{"Fayette County Reservoir", false, []string{"Oak Thicket Park", "Park Prairie Park"}},
	{"Choke Canyon Reservoir", false, []string{"Calliham Unit", "South Shore Unit"}},
	{"Lake Dunlap", true, []string{"Dunlap Park"}},
	{"Lake McQueeney", false, []string{"Meadow Lake Ramp"}},
	{"Coleto Creek Reservoir", false, []string{"Coleto Creek Park"}},
	{"Lake Limestone", false, []string{"Running Branch Park"}},
}

var firstNames = []string{"James", "Robert", "John", "Michael", "David", "William", "Richard", "Joseph", "Thomas",
	"Charles", "Chris", "Daniel", "Matthew", "Anthony", "Mark", "Donald", "Steven", "Paul", "Andrew", "Joshua",
	"Kenneth", "Kevin", "Brian", "George", "Tim", "Ronald", "Jason", "Edward", "Jeff", "Ryan", "Jacob", "Gary",
	"Nicholas", "Eric", "Jonathan", "Stephen", "Larry", "Justin", "Scott", "Brandon", "Ben", "Samuel", "Greg",
	"Alex", "Frank", "Patrick", "Raymond", "Jack", "Dennis", "Jerry", "Tyler", "Aaron", "Jose", "Adam", "Nathan",
	"Henry", "Zach", "Doug", "Peter", "Kyle", "Noah", "Ethan", "Jeremy", "Walter", "Christian", "Keith", "Roger",
	"Terry", "Austin", "Sean", "Gerald", "Carl", "Harold", "Dylan", "Arthur", "Lawrence", "Jordan", "Jesse",
	"Bryan", "Billy", "Bruce", "Gabriel", "Joe", "Logan", "Alan", "Juan", "Albert", "Willie", "Elijah", "Wayne",
	"Randy", "Vincent", "Mason", "Roy", "Ralph", "Bobby", "Russell", "Bradley", "Philip", "Eugene", "Mary",
	"Patricia", "Jennifer", "Linda", "Elizabeth", "Susan", "Jessica", "Sarah", "Karen", "Lisa", "Nancy", "Betty",
	"Sandra", "Ashley", "Kim", "Emily", "Donna", "Michelle", "Carol", "Amanda", "Melissa", "Deborah", "Laura"}

var lastNames = []string{"Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez",
	"Martinez", "Hernandez", "Lopez", "Gonzalez", "Wilson", "Anderson", "Thomas", "Taylor", "Moore", "Jackson",
	"Martin", "Lee", "Perez", "Thompson", "White", "Harris", "Sanchez", "Clark", "Ramirez", "Lewis", "Robinson",
	"Walker", "Young", "Allen", "King", "Wright", "Scott", "Torres", "Nguyen", "Hill", "Flores", "Green", "Adams",
	"Nelson", "Baker", "Hall", "Rivera", "Campbell", "Mitchell", "Carter", "Roberts", "Gomez", "Phillips", "Evans",
	"Turner", "Diaz", "Parker", "Cruz", "Edwards", "Collins", "Reyes", "Stewart", "Morris", "Morales", "Murphy",
	"Cook", "Rogers", "Gutierrez", "Ortiz", "Morgan", "Cooper", "Peterson", "Bailey", "Reed", "Kelly", "Howard",
	"Ramos", "Kim", "Cox", "Ward", "Richardson", "Watson", "Brooks", "Chavez", "Wood", "James", "Bennett", "Gray",
	"Mendoza", "Ruiz", "Hughes", "Price", "Alvarez", "Castillo", "Sanders", "Patel", "Myers", "Long", "Ross",
	"Foster", "Jimenez", "Powell", "Jenkins", "Perry", "Russell", "Sullivan", "Bell", "Coleman", "Butler"}

const joinMD = `Come to a meeting or fish a tournament as a **guest** first: create an account, then
tell an officer at the ramp. Membership runs January to December; pay the dues to the
treasurer at a meeting and an officer marks you paid. Members' results count toward
Angler of the Year.`

const aboutMD = `The **South Austin Bass Club** has fished Central Texas lakes since 1981.
We hold a tournament every month — individual or two-angler boats — and meet on the
first Monday of the month to vote on the next lake, tell lies about the one that got
away and plan the season.

New anglers are welcome: fish one event as a guest, then join as a member to earn
Angler-of-the-Year points.`

const bylawsMD = `## Article I — Name
The club is the South Austin Bass Club (SABC), founded 1981.

## Article II — Membership
Members pay annual dues. Guests may fish club tournaments but earn no points.

## Article III — Tournaments
1. Tournaments are held monthly at a lake chosen by member vote.
2. Limit: five bass per angler, 12 inches or longer.
3. Dead fish cost 0.25 lb each. Late arrival costs 1 lb per minute; more than 15 minutes late is a disqualification.
4. Ties are broken by the number of fish, then by the largest fish.

## Article IV — Awards
Angler of the Year, Heavy Stringer and Big Bass of the Year are awarded at the December meeting.`

var news = []struct{ title, body string }{
	{"Welcome to the new club site", "Results, standings and the calendar now live in one place. Officers enter the weigh-in from their phones at the ramp, and standings update the moment a result is saved."},
	{"Dues for the new season", "Dues are due by the January meeting. Pay the treasurer at the meeting or at the ramp before the February tournament."},
}
