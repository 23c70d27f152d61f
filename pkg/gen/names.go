package gen

import (
	"fmt"
	"math/rand/v2"
	"strings"
)

// The organisation's name and mail domain, and the word lists its names are made of.
const (
	firmName   = "Meridian Partners"
	firmDomain = "meridian.example"
)

var (
	firstNames = []string{"Aino", "Ada", "Bea", "Carl", "Dina", "Erik", "Fay", "Gus", "Hana", "Ivan", "Jon", "Kim",
		"Lea", "Mikko", "Nora", "Olli", "Pia", "Quinn", "Rasmus", "Sara", "Timo", "Ulla", "Ville", "Wilma", "Xavier",
		"Ylva", "Zara", "Anders", "Britt", "Camilla", "David", "Elina", "Frida", "Göran", "Heidi", "Ilkka", "Johanna",
		"Kalle", "Laura", "Magnus", "Niklas", "Outi", "Petra", "Riikka", "Sven", "Tuula", "Veera", "Aleksi", "Emma", "Leo"}
	lastNames = []string{"Virtanen", "Korhonen", "Nieminen", "Mäkinen", "Hämäläinen", "Laine", "Heikkinen", "Koskinen",
		"Järvinen", "Lehtonen", "Andersson", "Johansson", "Karlsson", "Nilsson", "Eriksson", "Larsson", "Olsen",
		"Hansen", "Berg", "Lind", "Smith", "Brown", "Taylor", "Wilson", "Müller", "Schmidt", "Schneider", "Fischer",
		"Weber", "Meyer", "Tamm", "Saar", "Sepp", "Kask", "Rebane", "Ozols", "Kalnins", "Novak", "Horvat", "Dubois"}
	divisionNames = []string{"Consulting", "Engineering", "Advisory", "Operations", "Digital", "Finance", "Legal",
		"Design", "Data", "Security", "Cloud", "Strategy"}
	placeNames = []string{"Helsinki", "Stockholm", "Oslo", "Tallinn", "Riga", "Copenhagen", "Tampere", "Gothenburg",
		"Turku", "Bergen", "Oulu", "Malmö", "Vilnius", "Aarhus", "Espoo", "Uppsala"}
	teamNames = []string{"Alpha", "Beta", "Gamma", "Delta", "Epsilon", "Zeta", "Eta", "Theta", "Iota", "Kappa",
		"Lambda", "Sigma", "Omega", "North", "South", "East", "West"}
	companyWords = []string{"Nordic", "Baltic", "Arctic", "Polar", "Blue", "Green", "Granite", "Harbor", "Summit",
		"Aurora", "Boreal", "Cedar", "Fjord", "Glacier", "Lakeside", "Meadow", "Pine", "River", "Silver", "Stone"}
	companyNouns = []string{"Timber", "Logistics", "Energy", "Foods", "Retail", "Pharma", "Robotics", "Shipping",
		"Telecom", "Insurance", "Bank", "Media", "Textiles", "Steel", "Paper", "Software", "Health", "Mining",
		"Water", "Motors", "Chemicals", "Airlines", "Hotels", "Games", "Furniture"}
	streetNames  = []string{"Main Street", "Harbour Road", "Station Square", "Market Street", "Mill Lane", "Park Avenue"}
	companyForms = []string{"Oy", "AB", "AS", "A/S", "GmbH", "Ltd", "SIA", "OÜ"}
	projectKinds = []string{"ERP rollout", "strategy review", "pricing study", "platform migration", "audit",
		"data warehouse", "integration", "mobile app", "security assessment", "cost reduction", "market entry",
		"cloud migration", "process redesign", "due diligence", "web shop", "reporting", "support retainer",
		"training programme", "API design", "compliance review", "org redesign", "analytics pilot"}
	phaseNames      = []string{"Discovery", "Design", "Build", "Test", "Rollout", "Handover"}
	hourTasks       = []string{"Workshop", "Analysis", "Design", "Development", "Testing", "Meeting", "Documentation", "Review", "Planning", "Support", "Interviews", "Reporting"}
	travelTrips     = []string{"Train to customer site", "Flight to workshop", "Taxi to meeting", "Hotel night", "Car mileage", "Ferry to customer"}
	contactTitles   = []string{"CEO", "CFO", "CIO", "Project manager", "Purchasing manager", "Head of IT", "Controller", ""}
	rejectedReasons = []string{"Wrong case", "Wrong date", "Please split by phase", "Not billable"}
)

// oneOf draws one word of a list.
func oneOf(r *rand.Rand, words []string) string { return words[r.IntN(len(words))] }

// mailbox turns a person's or company's name into the local part of an address
// ("Göran Mäkinen" → "goran.makinen").
func mailbox(name string) string {
	repl := strings.NewReplacer(" ", ".", "ä", "a", "ö", "o", "å", "a", "ü", "u", "Ä", "a", "Ö", "o", "/", "", "&", "")
	return strings.ToLower(repl.Replace(name))
}

// uniqueNames makes names unique by numbering repeats ("Nordic Timber Oy", "Nordic Timber Oy 2").
type uniqueNames map[string]int

func (u uniqueNames) make(name string) string {
	u[name]++
	if n := u[name]; n > 1 {
		return fmt.Sprintf("%s %d", name, n)
	}
	return name
}
