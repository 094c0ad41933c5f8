// Countries used by the demo data: the Asia-Pacific member States the centre works with, plus a few
// partner countries elsewhere. Codes are ISO 3166-1 alpha-2.

export type Subregion = 'south_east' | 'south' | 'east' | 'north_central' | 'south_west' | 'pacific' | 'europe' | 'americas' | 'africa';

export interface DemoCountry {
  code: string;
  /** Name as used inside a sentence ("in the Philippines"). */
  name: string;
  /** Adjective ("a Thai SME"). */
  adj: string;
  subregion: Subregion;
  /** Relative weight when drawing an organisation's country. */
  weight: number;
  landlocked: boolean;
  callingCode: string;
  /** Cities used for addresses and organisation names. */
  places: readonly string[];
  /** Regional prefixes that read well in company names ("Mekong Agri-Tech"). */
  prefixes: readonly string[];
  smeSuffix: readonly string[];
  largeSuffix: string;
  /** Prefix placed before company names (Indonesia: "PT"). */
  companyPrefix?: string;
  patentOffice: string;
}

export const DEMO_COUNTRIES: readonly DemoCountry[] = [
  { code: 'TH', name: 'Thailand', adj: 'Thai', subregion: 'south_east', weight: 9, landlocked: false, callingCode: '66', places: ['Bangkok', 'Chiang Mai', 'Khon Kaen', 'Songkhla', 'Nakhon Ratchasima', 'Chon Buri', 'Pathum Thani'], prefixes: ['Siam', 'Lanna', 'Chao Phraya', 'Isan', 'Andaman'], smeSuffix: ['Co., Ltd.'], largeSuffix: 'Public Company Limited', patentOffice: 'Department of Intellectual Property, Thailand' },
  { code: 'VN', name: 'Viet Nam', adj: 'Vietnamese', subregion: 'south_east', weight: 8, landlocked: false, callingCode: '84', places: ['Hanoi', 'Ho Chi Minh City', 'Da Nang', 'Can Tho', 'Hue', 'Hai Phong'], prefixes: ['Mekong', 'Saigon', 'Red River', 'Hanoi', 'Truong Son'], smeSuffix: ['Co., Ltd.', 'Joint Stock Company'], largeSuffix: 'Corporation', patentOffice: 'Intellectual Property Office of Viet Nam' },
  { code: 'ID', name: 'Indonesia', adj: 'Indonesian', subregion: 'south_east', weight: 8, landlocked: false, callingCode: '62', places: ['Jakarta', 'Bandung', 'Surabaya', 'Yogyakarta', 'Makassar', 'Medan', 'Bogor'], prefixes: ['Nusantara', 'Java', 'Borneo', 'Sumatra', 'Celebes'], smeSuffix: [''], largeSuffix: 'Tbk', companyPrefix: 'PT', patentOffice: 'Directorate General of Intellectual Property, Indonesia' },
  { code: 'PH', name: 'the Philippines', adj: 'Philippine', subregion: 'south_east', weight: 7, landlocked: false, callingCode: '63', places: ['Manila', 'Cebu', 'Davao', 'Iloilo', 'Los Baños', 'Baguio', 'Quezon City'], prefixes: ['Luzon', 'Visayas', 'Mindanao', 'Pacific', 'Bayanihan'], smeSuffix: ['Inc.', 'Corporation'], largeSuffix: 'Corporation', patentOffice: 'Intellectual Property Office of the Philippines' },
  { code: 'MY', name: 'Malaysia', adj: 'Malaysian', subregion: 'south_east', weight: 6, landlocked: false, callingCode: '60', places: ['Kuala Lumpur', 'Penang', 'Johor Bahru', 'Kuching', 'Kota Kinabalu', 'Ipoh', 'Serdang'], prefixes: ['Malaya', 'Borneo', 'Straits', 'Semenanjung', 'Perdana'], smeSuffix: ['Sdn. Bhd.'], largeSuffix: 'Berhad', patentOffice: 'Intellectual Property Corporation of Malaysia' },
  { code: 'SG', name: 'Singapore', adj: 'Singaporean', subregion: 'south_east', weight: 3, landlocked: false, callingCode: '65', places: ['Singapore'], prefixes: ['Jurong', 'Tampines', 'Marina', 'Temasek', 'Kallang'], smeSuffix: ['Pte. Ltd.'], largeSuffix: 'Ltd.', patentOffice: 'Intellectual Property Office of Singapore' },
  { code: 'IN', name: 'India', adj: 'Indian', subregion: 'south', weight: 9, landlocked: false, callingCode: '91', places: ['Bengaluru', 'Pune', 'Chennai', 'Hyderabad', 'Kolkata', 'Ahmedabad', 'Coimbatore', 'Guwahati'], prefixes: ['Deccan', 'Ganga', 'Kaveri', 'Sahyadri', 'Narmada', 'Indus Valley'], smeSuffix: ['Pvt. Ltd.', 'LLP'], largeSuffix: 'Ltd.', patentOffice: 'Indian Patent Office' },
  { code: 'BD', name: 'Bangladesh', adj: 'Bangladeshi', subregion: 'south', weight: 5, landlocked: false, callingCode: '880', places: ['Dhaka', 'Chattogram', 'Khulna', 'Rajshahi', 'Sylhet', 'Gazipur'], prefixes: ['Padma', 'Meghna', 'Sundarban', 'Jamuna', 'Bengal'], smeSuffix: ['Ltd.'], largeSuffix: 'Group', patentOffice: 'Department of Patents, Designs and Trademarks, Bangladesh' },
  { code: 'PK', name: 'Pakistan', adj: 'Pakistani', subregion: 'south', weight: 4, landlocked: false, callingCode: '92', places: ['Lahore', 'Karachi', 'Faisalabad', 'Islamabad', 'Peshawar', 'Multan'], prefixes: ['Indus', 'Punjab', 'Ravi', 'Margalla', 'Sindh'], smeSuffix: ['(Pvt.) Ltd.'], largeSuffix: 'Limited', patentOffice: 'Intellectual Property Organization of Pakistan' },
  { code: 'LK', name: 'Sri Lanka', adj: 'Sri Lankan', subregion: 'south', weight: 4, landlocked: false, callingCode: '94', places: ['Colombo', 'Kandy', 'Galle', 'Kurunegala', 'Jaffna', 'Peradeniya'], prefixes: ['Lanka', 'Ceylon', 'Serendib', 'Ruhuna', 'Kelani'], smeSuffix: ['(Pvt) Ltd'], largeSuffix: 'PLC', patentOffice: 'National Intellectual Property Office of Sri Lanka' },
  { code: 'NP', name: 'Nepal', adj: 'Nepali', subregion: 'south', weight: 3, landlocked: true, callingCode: '977', places: ['Kathmandu', 'Pokhara', 'Biratnagar', 'Lalitpur', 'Butwal'], prefixes: ['Himalayan', 'Annapurna', 'Bagmati', 'Gandaki', 'Terai'], smeSuffix: ['Pvt. Ltd.'], largeSuffix: 'Limited', patentOffice: 'Department of Industry, Nepal' },
  { code: 'BT', name: 'Bhutan', adj: 'Bhutanese', subregion: 'south', weight: 1, landlocked: true, callingCode: '975', places: ['Thimphu', 'Paro', 'Phuentsholing', 'Gelephu'], prefixes: ['Druk', 'Thunder Dragon', 'Wangchu', 'Gangkhar'], smeSuffix: ['Pvt. Ltd.'], largeSuffix: 'Limited', patentOffice: 'Intellectual Property Division, Bhutan' },
  { code: 'MV', name: 'the Maldives', adj: 'Maldivian', subregion: 'south', weight: 1, landlocked: false, callingCode: '960', places: ['Malé', 'Addu City', 'Hulhumalé', 'Fuvahmulah'], prefixes: ['Atoll', 'Dhivehi', 'Lagoon', 'Coral Isle'], smeSuffix: ['Pvt Ltd'], largeSuffix: 'PLC', patentOffice: 'Ministry of Economic Development, Maldives' },
  { code: 'CN', name: 'China', adj: 'Chinese', subregion: 'east', weight: 6, landlocked: false, callingCode: '86', places: ['Shenzhen', 'Hangzhou', 'Chengdu', 'Kunming', 'Nanning', 'Wuhan', 'Qingdao'], prefixes: ['Yunnan', 'Pearl River', 'Lingnan', 'Jiangnan', 'Xiangjiang'], smeSuffix: ['Co., Ltd.', 'Technology Co., Ltd.'], largeSuffix: 'Group Co., Ltd.', patentOffice: 'China National Intellectual Property Administration' },
  { code: 'KR', name: 'the Republic of Korea', adj: 'Korean', subregion: 'east', weight: 4, landlocked: false, callingCode: '82', places: ['Seoul', 'Daejeon', 'Busan', 'Gwangju', 'Incheon', 'Suwon'], prefixes: ['Hanbit', 'Daehan', 'Hangang', 'Seorak', 'Mirae'], smeSuffix: ['Co., Ltd.', 'Inc.'], largeSuffix: 'Corporation', patentOffice: 'Korean Intellectual Property Office' },
  { code: 'JP', name: 'Japan', adj: 'Japanese', subregion: 'east', weight: 4, landlocked: false, callingCode: '81', places: ['Osaka', 'Kyoto', 'Fukuoka', 'Sapporo', 'Nagoya', 'Tsukuba', 'Sendai'], prefixes: ['Kansai', 'Hokuriku', 'Setouchi', 'Kyushu', 'Tohoku'], smeSuffix: ['Co., Ltd.', 'K.K.'], largeSuffix: 'Corporation', patentOffice: 'Japan Patent Office' },
  { code: 'MN', name: 'Mongolia', adj: 'Mongolian', subregion: 'east', weight: 2, landlocked: true, callingCode: '976', places: ['Ulaanbaatar', 'Darkhan', 'Erdenet', 'Khovd'], prefixes: ['Khangai', 'Steppe', 'Gobi', 'Tuul', 'Altai'], smeSuffix: ['LLC'], largeSuffix: 'JSC', patentOffice: 'Intellectual Property Office of Mongolia' },
  { code: 'UZ', name: 'Uzbekistan', adj: 'Uzbek', subregion: 'north_central', weight: 2, landlocked: true, callingCode: '998', places: ['Tashkent', 'Samarkand', 'Bukhara', 'Fergana', 'Nukus'], prefixes: ['Turon', 'Silk Road', 'Zarafshan', 'Amu Darya', 'Fergana Valley'], smeSuffix: ['LLC'], largeSuffix: 'JSC', patentOffice: 'Intellectual Property Agency of Uzbekistan' },
  { code: 'KZ', name: 'Kazakhstan', adj: 'Kazakh', subregion: 'north_central', weight: 2, landlocked: true, callingCode: '7', places: ['Almaty', 'Astana', 'Shymkent', 'Karaganda', 'Aktobe'], prefixes: ['Steppe', 'Altyn', 'Zhetysu', 'Alatau', 'Caspian'], smeSuffix: ['LLP'], largeSuffix: 'JSC', patentOffice: 'National Institute of Intellectual Property, Kazakhstan' },
  { code: 'TM', name: 'Turkmenistan', adj: 'Turkmen', subregion: 'north_central', weight: 1, landlocked: true, callingCode: '993', places: ['Ashgabat', 'Mary', 'Turkmenabat', 'Dashoguz'], prefixes: ['Karakum', 'Kopetdag', 'Merv', 'Altyn Asyr'], smeSuffix: ['Ltd.'], largeSuffix: 'Group', patentOffice: 'State Service on Intellectual Property, Turkmenistan' },
  { code: 'IR', name: 'Iran', adj: 'Iranian', subregion: 'south_west', weight: 3, landlocked: false, callingCode: '98', places: ['Tehran', 'Isfahan', 'Shiraz', 'Tabriz', 'Mashhad'], prefixes: ['Alborz', 'Zagros', 'Persia', 'Karun', 'Parsian'], smeSuffix: ['Co.'], largeSuffix: 'Group', patentOffice: 'Iran Intellectual Property Centre' },
  { code: 'KH', name: 'Cambodia', adj: 'Cambodian', subregion: 'south_east', weight: 3, landlocked: false, callingCode: '855', places: ['Phnom Penh', 'Siem Reap', 'Battambang', 'Kampot', 'Kampong Cham'], prefixes: ['Angkor', 'Tonle Sap', 'Mekong', 'Khmer', 'Cardamom'], smeSuffix: ['Co., Ltd.'], largeSuffix: 'Group', patentOffice: 'Ministry of Industry, Science, Technology and Innovation, Cambodia' },
  { code: 'LA', name: 'Lao PDR', adj: 'Lao', subregion: 'south_east', weight: 2, landlocked: true, callingCode: '856', places: ['Vientiane', 'Luang Prabang', 'Savannakhet', 'Pakse'], prefixes: ['Lane Xang', 'Mekong', 'Champa', 'Phou Bia'], smeSuffix: ['Sole Co., Ltd.', 'Co., Ltd.'], largeSuffix: 'Group', patentOffice: 'Department of Intellectual Property, Lao PDR' },
  { code: 'MM', name: 'Myanmar', adj: 'Myanmar', subregion: 'south_east', weight: 2, landlocked: false, callingCode: '95', places: ['Yangon', 'Mandalay', 'Mawlamyine', 'Taunggyi'], prefixes: ['Ayeyarwady', 'Shwe', 'Golden Land', 'Bagan', 'Chindwin'], smeSuffix: ['Co., Ltd.'], largeSuffix: 'Group', patentOffice: 'Intellectual Property Department, Myanmar' },
  { code: 'TL', name: 'Timor-Leste', adj: 'Timorese', subregion: 'south_east', weight: 1, landlocked: false, callingCode: '670', places: ['Dili', 'Baucau', 'Maliana'], prefixes: ['Lorosae', 'Tasi', 'Ramelau', 'Atauro'], smeSuffix: ['Lda.'], largeSuffix: 'S.A.', patentOffice: 'Ministry of Commerce and Industry, Timor-Leste' },
  { code: 'FJ', name: 'Fiji', adj: 'Fijian', subregion: 'pacific', weight: 1, landlocked: false, callingCode: '679', places: ['Suva', 'Lautoka', 'Nadi', 'Labasa'], prefixes: ['Pacific', 'Viti', 'Bula', 'Koro Sea', 'Vanua'], smeSuffix: ['Pte Limited'], largeSuffix: 'Limited', patentOffice: 'Fiji Intellectual Property Office' },
  { code: 'AU', name: 'Australia', adj: 'Australian', subregion: 'pacific', weight: 3, landlocked: false, callingCode: '61', places: ['Brisbane', 'Perth', 'Adelaide', 'Darwin', 'Townsville', 'Melbourne'], prefixes: ['Southern Cross', 'Coral Coast', 'Outback', 'Top End', 'Murray'], smeSuffix: ['Pty Ltd'], largeSuffix: 'Limited', patentOffice: 'IP Australia' },
  { code: 'NZ', name: 'New Zealand', adj: 'New Zealand', subregion: 'pacific', weight: 2, landlocked: false, callingCode: '64', places: ['Auckland', 'Christchurch', 'Wellington', 'Hamilton', 'Palmerston North'], prefixes: ['Kiwi', 'Tasman', 'Aotearoa', 'Southern Alps', 'Waikato'], smeSuffix: ['Ltd'], largeSuffix: 'Limited', patentOffice: 'Intellectual Property Office of New Zealand' },
  { code: 'DE', name: 'Germany', adj: 'German', subregion: 'europe', weight: 1.5, landlocked: false, callingCode: '49', places: ['Freiburg', 'Stuttgart', 'Bremen', 'Munich', 'Kassel', 'Aachen'], prefixes: ['Rhein', 'Schwarzwald', 'Elbe', 'Nordsee', 'Bodensee'], smeSuffix: ['GmbH'], largeSuffix: 'AG', patentOffice: 'European Patent Office' },
  { code: 'FR', name: 'France', adj: 'French', subregion: 'europe', weight: 1, landlocked: false, callingCode: '33', places: ['Grenoble', 'Montpellier', 'Lyon', 'Toulouse', 'Nantes'], prefixes: ['Rhône', 'Provence', 'Atlantique', 'Loire', 'Occitanie'], smeSuffix: ['SAS'], largeSuffix: 'SA', patentOffice: 'European Patent Office' },
  { code: 'NL', name: 'the Netherlands', adj: 'Dutch', subregion: 'europe', weight: 1, landlocked: false, callingCode: '31', places: ['Wageningen', 'Delft', 'Eindhoven', 'Rotterdam', 'Groningen'], prefixes: ['Delta', 'Polder', 'Maas', 'Zuiderzee', 'Holland'], smeSuffix: ['B.V.'], largeSuffix: 'N.V.', patentOffice: 'European Patent Office' },
  { code: 'IT', name: 'Italy', adj: 'Italian', subregion: 'europe', weight: 1, landlocked: false, callingCode: '39', places: ['Turin', 'Bologna', 'Padua', 'Milan', 'Bari'], prefixes: ['Padana', 'Adriatica', 'Appennino', 'Tirreno', 'Dolomiti'], smeSuffix: ['S.r.l.'], largeSuffix: 'S.p.A.', patentOffice: 'European Patent Office' },
  { code: 'ES', name: 'Spain', adj: 'Spanish', subregion: 'europe', weight: 1, landlocked: false, callingCode: '34', places: ['Valencia', 'Seville', 'Bilbao', 'Barcelona', 'Almería'], prefixes: ['Ibérica', 'Levante', 'Cantábrica', 'Guadalquivir', 'Mediterránea'], smeSuffix: ['S.L.'], largeSuffix: 'S.A.', patentOffice: 'European Patent Office' },
  { code: 'FI', name: 'Finland', adj: 'Finnish', subregion: 'europe', weight: 1, landlocked: false, callingCode: '358', places: ['Espoo', 'Tampere', 'Oulu', 'Turku', 'Lappeenranta'], prefixes: ['Nordic', 'Saimaa', 'Boreal', 'Aurora', 'Lapland'], smeSuffix: ['Oy'], largeSuffix: 'Oyj', patentOffice: 'European Patent Office' },
  { code: 'GB', name: 'the United Kingdom', adj: 'British', subregion: 'europe', weight: 1.5, landlocked: false, callingCode: '44', places: ['Cambridge', 'Bristol', 'Glasgow', 'Manchester', 'Newcastle'], prefixes: ['Albion', 'Pennine', 'Severn', 'Thames', 'Highland'], smeSuffix: ['Ltd'], largeSuffix: 'plc', patentOffice: 'UK Intellectual Property Office' },
  { code: 'US', name: 'the United States', adj: 'US', subregion: 'americas', weight: 1.5, landlocked: false, callingCode: '1', places: ['Boston', 'Austin', 'Davis', 'Pittsburgh', 'Honolulu', 'Madison'], prefixes: ['Pacific Rim', 'Great Lakes', 'Cascade', 'Bayou', 'Prairie'], smeSuffix: ['Inc.', 'LLC'], largeSuffix: 'Corporation', patentOffice: 'United States Patent and Trademark Office' },
  { code: 'CA', name: 'Canada', adj: 'Canadian', subregion: 'americas', weight: 1, landlocked: false, callingCode: '1', places: ['Vancouver', 'Guelph', 'Montreal', 'Halifax', 'Saskatoon'], prefixes: ['Maple', 'Northern', 'Laurentian', 'Fraser', 'Maritime'], smeSuffix: ['Inc.'], largeSuffix: 'Inc.', patentOffice: 'Canadian Intellectual Property Office' },
  { code: 'BR', name: 'Brazil', adj: 'Brazilian', subregion: 'americas', weight: 1, landlocked: false, callingCode: '55', places: ['Campinas', 'Recife', 'Curitiba', 'Manaus', 'Florianópolis'], prefixes: ['Amazônia', 'Cerrado', 'Atlântica', 'Paraná', 'Pantanal'], smeSuffix: ['Ltda.'], largeSuffix: 'S.A.', patentOffice: 'Instituto Nacional da Propriedade Industrial, Brazil' },
  { code: 'KE', name: 'Kenya', adj: 'Kenyan', subregion: 'africa', weight: 1, landlocked: false, callingCode: '254', places: ['Nairobi', 'Mombasa', 'Kisumu', 'Nakuru'], prefixes: ['Rift Valley', 'Savannah', 'Kilima', 'Tana', 'Harambee'], smeSuffix: ['Ltd'], largeSuffix: 'PLC', patentOffice: 'Kenya Industrial Property Institute' },
  { code: 'ZA', name: 'South Africa', adj: 'South African', subregion: 'africa', weight: 1, landlocked: false, callingCode: '27', places: ['Cape Town', 'Stellenbosch', 'Pretoria', 'Durban', 'Gqeberha'], prefixes: ['Karoo', 'Cape', 'Highveld', 'Limpopo', 'Drakensberg'], smeSuffix: ['(Pty) Ltd'], largeSuffix: 'Limited', patentOffice: 'Companies and Intellectual Property Commission, South Africa' },
];

export const ASIA_PACIFIC_CODES: readonly string[] = DEMO_COUNTRIES.filter(
  (c) => !['europe', 'americas', 'africa'].includes(c.subregion),
).map((c) => c.code);

export const PARTNER_CODES: readonly string[] = DEMO_COUNTRIES.filter((c) =>
  ['europe', 'americas', 'africa'].includes(c.subregion),
).map((c) => c.code);

export const DEMO_COUNTRY_CODES: readonly string[] = DEMO_COUNTRIES.map((c) => c.code);

const byCode = new Map(DEMO_COUNTRIES.map((c) => [c.code, c] as const));

export function countryByCode(code: string): DemoCountry {
  const c = byCode.get(code);
  if (!c) throw new RangeError(`unknown demo country ${code}`);
  return c;
}
