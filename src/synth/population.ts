/**
 * Populations the case generator samples demographics from. India is the default: regions with
 * their language, setting and names, so a patient from rural Bihar is called Sunita Devi and
 * speaks Hindi, and one from Chennai is called Lakshmi Narayanan and speaks Tamil.
 */
export interface RegionProfile {
  region: string;
  language: string;
  setting: string;
  rural: boolean;
  maleNames: readonly string[];
  femaleNames: readonly string[];
  surnames: readonly string[];
  /** Surnames used only for women in some regions ("Devi", "Kumari"). */
  femaleSurnames?: readonly string[];
}

export interface Population {
  id: string;
  regions: readonly RegionProfile[];
  occupations: { rural: readonly string[]; urban: readonly string[]; female: readonly string[] };
}

const NORTH_MALE = [
  "Rahul",
  "Ramesh",
  "Suresh",
  "Amit",
  "Vijay",
  "Manoj",
  "Rakesh",
  "Sanjay",
  "Arjun",
  "Deepak",
  "Mohan",
  "Iqbal",
  "Imran",
];
const NORTH_FEMALE = [
  "Sunita",
  "Pooja",
  "Anita",
  "Rekha",
  "Kavita",
  "Priya",
  "Meena",
  "Neha",
  "Geeta",
  "Shabnam",
  "Ruksana",
];

export const INDIA: Population = {
  id: "india",
  regions: [
    {
      region: "rural Bihar, India",
      language: "Hindi",
      setting: "Primary health centre, rural Bihar",
      rural: true,
      maleNames: NORTH_MALE,
      femaleNames: NORTH_FEMALE,
      surnames: ["Yadav", "Kumar", "Paswan", "Singh", "Mahto"],
      femaleSurnames: ["Devi", "Kumari"],
    },
    {
      region: "Delhi, India",
      language: "Hindi",
      setting: "Urban primary health centre, Delhi",
      rural: false,
      maleNames: NORTH_MALE,
      femaleNames: NORTH_FEMALE,
      surnames: ["Verma", "Sharma", "Gupta", "Khan", "Chauhan"],
    },
    {
      region: "Lucknow, Uttar Pradesh, India",
      language: "Hindi",
      setting: "District hospital outpatient clinic, Lucknow",
      rural: false,
      maleNames: NORTH_MALE,
      femaleNames: NORTH_FEMALE,
      surnames: ["Srivastava", "Mishra", "Ansari", "Tiwari"],
    },
    {
      region: "Chennai, Tamil Nadu, India",
      language: "Tamil",
      setting: "Urban health post, Chennai",
      rural: false,
      maleNames: ["Karthik", "Murugan", "Senthil", "Arun", "Ravi", "Prakash"],
      femaleNames: ["Lakshmi", "Priya", "Kavitha", "Meenakshi", "Revathi", "Selvi"],
      surnames: ["Narayanan", "Subramanian", "Raman", "Krishnan", "Pandian"],
    },
    {
      region: "rural Thanjavur, Tamil Nadu, India",
      language: "Tamil",
      setting: "Primary health centre, Thanjavur district",
      rural: true,
      maleNames: ["Murugan", "Selvam", "Ganesan", "Raja"],
      femaleNames: ["Selvi", "Pushpa", "Valli", "Amudha"],
      surnames: ["Muthu", "Perumal", "Velu", "Samy"],
    },
    {
      region: "Kolkata, West Bengal, India",
      language: "Bengali",
      setting: "Urban primary health centre, Kolkata",
      rural: false,
      maleNames: ["Subhash", "Arindam", "Sourav", "Partha", "Rafiq"],
      femaleNames: ["Mousumi", "Rina", "Sharmila", "Tania", "Nasreen"],
      surnames: ["Das", "Ghosh", "Mondal", "Chatterjee", "Sheikh"],
    },
    {
      region: "rural Odisha, India",
      language: "Odia",
      setting: "Community health centre, Koraput",
      rural: true,
      maleNames: ["Bikash", "Prasanta", "Sukanta", "Rabi"],
      femaleNames: ["Sabita", "Mamata", "Laxmi", "Jyoti"],
      surnames: ["Nayak", "Sahu", "Majhi", "Behera"],
    },
    {
      region: "Pune, Maharashtra, India",
      language: "Marathi",
      setting: "Municipal dispensary, Pune",
      rural: false,
      maleNames: ["Sachin", "Ganesh", "Mahesh", "Prashant", "Sameer"],
      femaleNames: ["Sneha", "Ashwini", "Manisha", "Sayali", "Vaishali"],
      surnames: ["Patil", "Jadhav", "Kulkarni", "Shinde", "Pawar"],
    },
    {
      region: "rural Vidarbha, Maharashtra, India",
      language: "Marathi",
      setting: "Primary health centre, Yavatmal district",
      rural: true,
      maleNames: ["Dnyaneshwar", "Vitthal", "Sunil", "Dattatray"],
      femaleNames: ["Sunanda", "Kusum", "Shobha", "Mangala"],
      surnames: ["Wankhede", "Rathod", "Kale", "Thakre"],
    },
    {
      region: "Kochi, Kerala, India",
      language: "Malayalam",
      setting: "Family health centre, Ernakulam",
      rural: false,
      maleNames: ["Anil", "Biju", "Joseph", "Rajesh", "Shaji"],
      femaleNames: ["Sini", "Anitha", "Mary", "Bindu", "Lekha"],
      surnames: ["Nair", "Thomas", "Menon", "Varghese", "Pillai"],
    },
    {
      region: "Hyderabad, Telangana, India",
      language: "Telugu",
      setting: "Basti dawakhana, Hyderabad",
      rural: false,
      maleNames: ["Srinivas", "Venkatesh", "Ravi", "Naveen", "Saleem"],
      femaleNames: ["Lakshmi", "Padma", "Swathi", "Sravani", "Ayesha"],
      surnames: ["Reddy", "Rao", "Goud", "Naidu", "Shaik"],
    },
    {
      region: "rural Rajasthan, India",
      language: "Hindi",
      setting: "Primary health centre, Barmer district",
      rural: true,
      maleNames: ["Bhanwar", "Ramesh", "Gopal", "Hanuman"],
      femaleNames: ["Kamla", "Santosh", "Bhanwari", "Suman"],
      surnames: ["Meena", "Jat", "Choudhary", "Bhil"],
      femaleSurnames: ["Devi", "Bai"],
    },
    {
      region: "Guwahati, Assam, India",
      language: "Assamese",
      setting: "Urban health centre, Guwahati",
      rural: false,
      maleNames: ["Pranjal", "Bhaskar", "Dipankar", "Hemanta"],
      femaleNames: ["Rupjyoti", "Nilima", "Bornali", "Mitali"],
      surnames: ["Bora", "Kalita", "Das", "Gogoi"],
    },
  ],
  occupations: {
    rural: [
      "farmer",
      "farm labourer",
      "construction labourer",
      "shopkeeper",
      "driver",
      "brick kiln worker",
      "fisherman",
      "tailor",
    ],
    urban: [
      "delivery rider",
      "auto-rickshaw driver",
      "office clerk",
      "security guard",
      "software engineer",
      "shop assistant",
      "teacher",
      "factory worker",
      "cook",
      "electrician",
    ],
    female: [
      "homemaker",
      "domestic worker",
      "tailor",
      "ASHA worker",
      "teacher",
      "nurse",
      "vegetable seller",
      "garment factory worker",
    ],
  },
};

export const GLOBAL: Population = {
  id: "global",
  regions: [
    {
      region: "Manchester, United Kingdom",
      language: "English",
      setting: "General practice surgery, Manchester",
      rural: false,
      maleNames: ["James", "Tom", "Daniel", "Mohammed"],
      femaleNames: ["Sarah", "Emma", "Aisha", "Laura"],
      surnames: ["Smith", "Jones", "Taylor", "Khan"],
    },
    {
      region: "Lagos, Nigeria",
      language: "English",
      setting: "Primary health care centre, Lagos",
      rural: false,
      maleNames: ["Chinedu", "Tunde", "Emeka", "Sani"],
      femaleNames: ["Ngozi", "Funmi", "Amina", "Chioma"],
      surnames: ["Okafor", "Adeyemi", "Bello", "Eze"],
    },
    {
      region: "rural Kenya",
      language: "Swahili",
      setting: "Health centre, Kisumu county",
      rural: true,
      maleNames: ["Otieno", "Kamau", "Baraka"],
      femaleNames: ["Akinyi", "Wanjiru", "Neema"],
      surnames: ["Odhiambo", "Mwangi", "Ochieng"],
    },
    {
      region: "Manila, Philippines",
      language: "Filipino",
      setting: "Barangay health station, Manila",
      rural: false,
      maleNames: ["Jose", "Mark", "Paolo"],
      femaleNames: ["Maria", "Grace", "Joy"],
      surnames: ["Santos", "Reyes", "Cruz"],
    },
    {
      region: "Dhaka, Bangladesh",
      language: "Bengali",
      setting: "Urban primary health care centre, Dhaka",
      rural: false,
      maleNames: ["Rafiq", "Kamal", "Habib"],
      femaleNames: ["Nasrin", "Shirin", "Fatema"],
      surnames: ["Hossain", "Rahman", "Islam"],
    },
  ],
  occupations: {
    rural: ["farmer", "labourer", "driver", "fisherman", "shopkeeper"],
    urban: ["office worker", "driver", "teacher", "shop assistant", "cook", "nurse", "electrician"],
    female: ["homemaker", "teacher", "nurse", "shop assistant", "cleaner", "market trader"],
  },
};

export const POPULATIONS: Readonly<Record<string, Population>> = { india: INDIA, global: GLOBAL };
