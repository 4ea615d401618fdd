import type { Knex } from 'knex';
import { hashPassword } from '../src/auth/passwords.js';
import type { Role } from '../src/auth/roles.js';
import type { Db } from '../src/db/knex.js';
import type { SeedContext } from '../src/db/seed.js';
import { insertOne } from '../src/db/util.js';
import { refreshProjects } from '../src/modules/portfolio/portfolio.health.js';
import {
  addDays,
  daysBetween,
  isoDay,
  reportPeriod,
  type Rag,
} from '../src/modules/portfolio/portfolio.rules.js';
import type { Phase, Priority, ProjectStatus } from '../src/modules/portfolio/portfolio.values.js';
import { DEMO_PASSWORD } from './01-demo-users.js';

/**
 * The demo portfolio of an e-government PMO: 5 programs, 30 projects in every phase, status and
 * health, about 265 milestones and six months of status reports, placed around the seed's "today"
 * so that lateness is real. Idempotent: programs, projects and people are looked up by code and
 * email, and a project that exists is left as it is.
 */

const EXTRA_USERS: { email: string; role: Role; nameEn: string; nameAr: string; locale: 'en' | 'ar' }[] = [
  {
    email: 'sponsor2@masar.test',
    role: 'sponsor',
    nameEn: 'Dr. Maryam Al-Jalahma',
    nameAr: 'د. مريم الجلاهمة',
    locale: 'ar',
  },
  {
    email: 'sponsor3@masar.test',
    role: 'sponsor',
    nameEn: 'Eng. Adel Al-Hashimi',
    nameAr: 'م. عادل الهاشمي',
    locale: 'en',
  },
  { email: 'pm3@masar.test', role: 'pm', nameEn: 'Ali Hasan', nameAr: 'علي حسن', locale: 'ar' },
  { email: 'pm4@masar.test', role: 'pm', nameEn: 'Zainab Al-Aali', nameAr: 'زينب العالي', locale: 'en' },
  { email: 'ba@masar.test', role: 'pm', nameEn: 'Sara Al-Mahmood', nameAr: 'سارة المحمود', locale: 'ar' },
  {
    email: 'techlead@masar.test',
    role: 'pm',
    nameEn: 'Hamad Al-Rumaihi',
    nameAr: 'حمد الرميحي',
    locale: 'en',
  },
  { email: 'qa@masar.test', role: 'pm', nameEn: 'Layla Abdulrahman', nameAr: 'ليلى عبدالرحمن', locale: 'ar' },
  { email: 'security@masar.test', role: 'pm', nameEn: 'Jassim Fakhro', nameAr: 'جاسم فخرو', locale: 'en' },
];

interface ProgramSeed {
  code: string;
  nameEn: string;
  nameAr: string;
  descriptionEn: string;
  descriptionAr: string;
  sponsor: string;
  manager: string;
}

const PROGRAMS: ProgramSeed[] = [
  {
    code: 'DST',
    nameEn: 'Digital Services Transformation',
    nameAr: 'برنامج التحول الرقمي للخدمات',
    descriptionEn:
      'Moves every suitable government service online, end to end, with one identity and one way to pay.',
    descriptionAr:
      'نقل جميع الخدمات الحكومية الملائمة إلى القنوات الإلكترونية من البداية إلى النهاية، بهوية واحدة ووسيلة دفع موحدة.',
    sponsor: 'sponsor@masar.test',
    manager: 'pm3@masar.test',
  },
  {
    code: 'CXF',
    nameEn: 'Customer Experience and Feedback',
    nameAr: 'برنامج تجربة المتعاملين',
    descriptionEn: 'Listens to customers on every channel and turns their feedback into better services.',
    descriptionAr: 'الاستماع إلى المتعاملين عبر جميع القنوات وتحويل ملاحظاتهم إلى خدمات أفضل.',
    sponsor: 'sponsor2@masar.test',
    manager: 'pm4@masar.test',
  },
  {
    code: 'GOV',
    nameEn: 'Governance and PMO',
    nameAr: 'برنامج الحوكمة وإدارة المشاريع',
    descriptionEn: 'Governs programs and projects efficiently and transparently, on paperless processes.',
    descriptionAr: 'حوكمة البرامج والمشاريع بكفاءة وشفافية من خلال إجراءات لاورقية.',
    sponsor: 'sponsor@masar.test',
    manager: 'pm3@masar.test',
  },
  {
    code: 'INF',
    nameEn: 'Government Infrastructure',
    nameAr: 'برنامج البنية التحتية الحكومية',
    descriptionEn: 'Builds the shared, secure network, cloud and data centres every ministry relies on.',
    descriptionAr: 'بناء الشبكة والسحابة ومراكز البيانات المشتركة والآمنة التي تعتمد عليها جميع الوزارات.',
    sponsor: 'sponsor3@masar.test',
    manager: 'pm4@masar.test',
  },
  {
    code: 'CAP',
    nameEn: 'Capacity Building and Cooperation',
    nameAr: 'برنامج بناء القدرات والتعاون',
    descriptionEn:
      "Shares the kingdom's e-government experience and builds digital skills at home and abroad.",
    descriptionAr: 'نقل التجربة الوطنية في الحكومة الإلكترونية وبناء المهارات الرقمية محلياً ودولياً.',
    sponsor: 'sponsor2@masar.test',
    manager: 'pm4@masar.test',
  },
];

type Target = Rag;

interface ProjectSeed {
  code: string;
  nameEn: string;
  nameAr: string;
  descEn: string;
  descAr: string;
  phase: Phase;
  status: ProjectStatus;
  health: Target;
  priority: Priority;
  frequency: 'weekly' | 'monthly';
  /** Share of the planned duration already elapsed today (over 1: finished). */
  elapsed: number;
  /** Planned duration in days. */
  days: number;
  /** Planned budget in whole BHD. */
  budget: number;
  manager: string;
  sponsor?: string;
  members: [string, number][];
}

const PM = 'pm@masar.test';
const PM2 = 'pm2@masar.test';

// Team seats: [person, role index in ROLES_ON_PROJECT]
const BA = 'ba@masar.test';
const TL = 'techlead@masar.test';
const QA = 'qa@masar.test';
const SEC = 'security@masar.test';

const ROLES_ON_PROJECT: [string, string][] = [
  ['Business analyst', 'محلل أعمال'],
  ['Technical lead', 'قائد فني'],
  ['Quality assurance lead', 'مسؤول ضمان الجودة'],
  ['Information security officer', 'مسؤول أمن المعلومات'],
  ['Change manager', 'مدير التغيير'],
  ['Procurement officer', 'مسؤول المشتريات'],
];

const P = (
  code: string,
  nameEn: string,
  nameAr: string,
  descEn: string,
  descAr: string,
  phase: Phase,
  status: ProjectStatus,
  health: Target,
  priority: Priority,
  frequency: 'weekly' | 'monthly',
  elapsed: number,
  days: number,
  budget: number,
  manager: string,
  members: [string, number][],
  sponsor?: string,
): ProjectSeed => ({
  code,
  nameEn,
  nameAr,
  descEn,
  descAr,
  phase,
  status,
  health,
  priority,
  frequency,
  elapsed,
  days,
  budget,
  manager,
  members,
  sponsor,
});

const PROJECTS: Record<string, ProjectSeed[]> = {
  DST: [
    P(
      'DST-01',
      'National portal redesign',
      'إعادة تصميم البوابة الوطنية',
      'A new national portal organised around life events, accessible and bilingual, on the shared design system.',
      'بوابة وطنية جديدة منظمة حول أحداث الحياة، سهلة الوصول وثنائية اللغة، مبنية على نظام التصميم الموحد.',
      'execution',
      'active',
      'amber',
      'high',
      'monthly',
      0.55,
      540,
      1_250_000,
      PM,
      [
        [BA, 0],
        [TL, 1],
        [QA, 2],
      ],
    ),
    P(
      'DST-02',
      'Mandatory e-payment of university tuition fees',
      'الدفع الإلكتروني الإلزامي للرسوم الدراسية الجامعية',
      'All university tuition fees paid through the national payment gateway; cash counters closed.',
      'سداد جميع الرسوم الدراسية الجامعية عبر بوابة الدفع الوطنية وإغلاق منافذ الدفع النقدي.',
      'closure',
      'active',
      'green',
      'high',
      'weekly',
      0.93,
      300,
      420_000,
      PM,
      [
        [BA, 0],
        [SEC, 3],
      ],
    ),
    P(
      'DST-03',
      'Video-call services for deaf customers',
      'خدمات الاتصال المرئي لذوي الإعاقة السمعية',
      'Sign-language video calls with service centres so deaf customers are served without a visit.',
      'اتصال مرئي بلغة الإشارة مع مراكز الخدمة لخدمة ذوي الإعاقة السمعية دون الحاجة إلى الزيارة.',
      'closed',
      'completed',
      'green',
      'medium',
      'monthly',
      1.15,
      240,
      185_000,
      PM,
      [[QA, 2]],
    ),
    P(
      'DST-04',
      'Government apps store',
      'متجر التطبيقات الحكومية',
      'One store for every official government mobile application, with security review before publication.',
      'متجر واحد لجميع التطبيقات الحكومية الرسمية على الهواتف الذكية، مع مراجعة أمنية قبل النشر.',
      'execution',
      'active',
      'red',
      'high',
      'weekly',
      0.66,
      420,
      960_000,
      PM,
      [
        [TL, 1],
        [SEC, 3],
        [QA, 2],
      ],
    ),
    P(
      'DST-05',
      'Digital identity (eKey 2.0)',
      'الهوية الرقمية (المفتاح الإلكتروني 2.0)',
      'The next national digital identity: mobile sign-in, digital signature and consent for data sharing.',
      'الجيل التالي من الهوية الرقمية الوطنية: الدخول عبر الهاتف والتوقيع الرقمي والموافقة على مشاركة البيانات.',
      'planning',
      'active',
      'green',
      'critical',
      'monthly',
      0.15,
      600,
      2_400_000,
      PM,
      [
        [SEC, 3],
        [TL, 1],
      ],
    ),
    P(
      'DST-06',
      'Unified e-forms platform',
      'منصة النماذج الإلكترونية الموحدة',
      'A low-code platform on which ministries publish their forms, replacing paper and PDF forms.',
      'منصة منخفضة البرمجة تنشر عليها الجهات الحكومية نماذجها بدلاً من النماذج الورقية وملفات PDF.',
      'initiation',
      'active',
      'green',
      'medium',
      'monthly',
      0.03,
      365,
      310_000,
      PM,
      [[BA, 0]],
    ),
  ],
  CXF: [
    P(
      'CXF-01',
      'National suggestions and complaints system (Tawasul)',
      'النظام الوطني للمقترحات والشكاوى (تواصل)',
      'Tawasul 3.0: one channel for suggestions, complaints and enquiries, with service-level tracking per entity.',
      'تواصل 3.0: قناة واحدة للمقترحات والشكاوى والاستفسارات مع متابعة مستوى الخدمة لكل جهة.',
      'execution',
      'active',
      'green',
      'critical',
      'weekly',
      0.6,
      480,
      780_000,
      PM2,
      [
        [BA, 0],
        [QA, 2],
      ],
    ),
    P(
      'CXF-02',
      'Customer satisfaction measurement with the national excellence center',
      'قياس رضا المتعاملين بالشراكة مع مركز التميز الوطني',
      'A yearly, comparable satisfaction index for every service centre, measured with the national excellence center.',
      'مؤشر سنوي قابل للمقارنة لرضا المتعاملين في جميع مراكز الخدمة بالشراكة مع مركز التميز الوطني.',
      'closure',
      'active',
      'amber',
      'medium',
      'monthly',
      0.96,
      300,
      145_000,
      PM2,
      [[BA, 0]],
    ),
    P(
      'CXF-03',
      'Social media engagement',
      'التفاعل عبر وسائل التواصل الاجتماعي',
      'Answers customers on social media within the working day, with one tone of voice across entities.',
      'الرد على المتعاملين عبر وسائل التواصل الاجتماعي خلال يوم العمل بأسلوب موحد بين الجهات.',
      'execution',
      'on_hold',
      'red',
      'low',
      'monthly',
      0.5,
      360,
      95_000,
      PM2,
      [[BA, 4]],
    ),
    P(
      'CXF-04',
      'Service quality mystery shopper',
      'برنامج المتسوق الخفي لجودة الخدمات',
      'Independent mystery-shopper visits to service centres and digital channels, twice a year.',
      'زيارات مستقلة للمتسوق الخفي إلى مراكز الخدمة والقنوات الرقمية مرتين في السنة.',
      'planning',
      'active',
      'amber',
      'medium',
      'monthly',
      0.18,
      300,
      120_000,
      PM2,
      [
        [QA, 2],
        [BA, 5],
      ],
    ),
    P(
      'CXF-05',
      'Omnichannel contact center',
      'مركز الاتصال متعدد القنوات',
      'One contact centre for phone, chat, email and WhatsApp, with the customer history on one screen.',
      'مركز اتصال واحد للهاتف والمحادثة والبريد الإلكتروني وواتساب، مع سجل المتعامل في شاشة واحدة.',
      'execution',
      'active',
      'amber',
      'high',
      'weekly',
      0.42,
      540,
      1_650_000,
      PM2,
      [
        [TL, 1],
        [SEC, 3],
        [BA, 0],
      ],
    ),
    P(
      'CXF-06',
      'Public awareness campaign',
      'حملة التوعية العامة',
      'A national campaign on the new e-services, on television, radio, social media and in malls.',
      'حملة وطنية للتعريف بالخدمات الإلكترونية الجديدة عبر التلفزيون والإذاعة ووسائل التواصل والمجمعات التجارية.',
      'closed',
      'completed',
      'green',
      'low',
      'monthly',
      1.2,
      200,
      85_000,
      PM2,
      [[BA, 4]],
    ),
  ],
  GOV: [
    P(
      'GOV-01',
      'Project portfolio management system',
      'نظام إدارة محفظة المشاريع',
      'Masar: one system for the portfolio, milestones, status reports, approvals and documents — paperless.',
      'مسار: نظام واحد للمحفظة والمعالم وتقارير الحالة والموافقات والوثائق — دون ورق.',
      'execution',
      'active',
      'green',
      'high',
      'weekly',
      0.45,
      420,
      540_000,
      PM,
      [
        [BA, 0],
        [TL, 1],
        [QA, 2],
      ],
    ),
    P(
      'GOV-02',
      'National strategy KPI monitoring',
      'رصد مؤشرات الاستراتيجية الوطنية',
      'Quarterly measurement of the national e-government strategy KPIs, published on one dashboard.',
      'قياس ربع سنوي لمؤشرات الاستراتيجية الوطنية للحكومة الإلكترونية ونشرها في لوحة معلومات واحدة.',
      'planning',
      'active',
      'amber',
      'high',
      'monthly',
      0.2,
      360,
      260_000,
      PM,
      [[BA, 0]],
    ),
    P(
      'GOV-03',
      'Paperless office',
      'المكتب اللاورقي',
      'Electronic correspondence, signatures and archiving for the authority; the paper registry closes.',
      'المراسلات والتوقيع والأرشفة إلكترونياً في الهيئة، وإغلاق سجل المراسلات الورقي.',
      'execution',
      'active',
      'red',
      'medium',
      'monthly',
      0.7,
      450,
      690_000,
      PM,
      [
        [TL, 1],
        [BA, 4],
      ],
    ),
    P(
      'GOV-04',
      'Enterprise architecture framework',
      'إطار البنية المؤسسية',
      'A national enterprise architecture framework with reference models and an architecture review board.',
      'إطار وطني للبنية المؤسسية مع نماذج مرجعية ومجلس لمراجعة البنية.',
      'initiation',
      'active',
      'green',
      'medium',
      'monthly',
      0.05,
      330,
      175_000,
      PM2,
      [[TL, 1]],
    ),
    P(
      'GOV-05',
      'Benefits realisation reviews',
      'مراجعات تحقيق المنافع',
      'Reviews, six and twelve months after go-live, of whether each project delivered its promised benefits.',
      'مراجعات بعد ستة أشهر واثني عشر شهراً من الإطلاق للتحقق من تحقيق كل مشروع للمنافع المستهدفة.',
      'execution',
      'on_hold',
      'amber',
      'low',
      'monthly',
      0.5,
      300,
      110_000,
      PM2,
      [[BA, 0]],
    ),
    P(
      'GOV-06',
      'Records digitisation',
      'رقمنة السجلات',
      'Scanning and indexing of 4 million archived pages, searchable in Arabic and English.',
      'مسح وفهرسة 4 ملايين صفحة مؤرشفة وإتاحة البحث فيها بالعربية والإنجليزية.',
      'closure',
      'active',
      'red',
      'medium',
      'monthly',
      0.98,
      400,
      820_000,
      PM2,
      [
        [QA, 2],
        [BA, 5],
      ],
    ),
  ],
  INF: [
    P(
      'INF-01',
      'Government data network upgrade',
      'تحديث شبكة البيانات الحكومية',
      'Upgrades the government data network to 100 Gb/s between the main sites, with full redundancy.',
      'رفع سعة شبكة البيانات الحكومية إلى 100 جيجابت في الثانية بين المواقع الرئيسية مع تكرار كامل.',
      'execution',
      'active',
      'green',
      'critical',
      'monthly',
      0.55,
      600,
      2_100_000,
      PM2,
      [
        [TL, 1],
        [SEC, 3],
      ],
    ),
    P(
      'INF-02',
      'Government cloud',
      'السحابة الحكومية',
      'A sovereign government cloud with self-service provisioning for ministries and shared platform services.',
      'سحابة حكومية سيادية مع خدمة ذاتية للجهات الحكومية وخدمات منصات مشتركة.',
      'execution',
      'active',
      'amber',
      'critical',
      'weekly',
      0.45,
      720,
      2_350_000,
      PM2,
      [
        [TL, 1],
        [SEC, 3],
        [QA, 2],
      ],
      'sponsor@masar.test',
    ),
    P(
      'INF-03',
      'Disaster recovery site',
      'موقع التعافي من الكوارث',
      'A second data centre for disaster recovery, with yearly tested fail-over of critical services.',
      'مركز بيانات ثانٍ للتعافي من الكوارث مع اختبار سنوي لنقل الخدمات الحرجة إليه.',
      'planning',
      'active',
      'red',
      'high',
      'monthly',
      0.22,
      540,
      1_480_000,
      PM2,
      [
        [TL, 1],
        [BA, 5],
      ],
    ),
    P(
      'INF-04',
      'Security operations center',
      'مركز العمليات الأمنية',
      'A round-the-clock security operations centre monitoring every government network and cloud tenant.',
      'مركز عمليات أمنية يعمل على مدار الساعة لمراقبة جميع الشبكات الحكومية ومستأجري السحابة.',
      'closed',
      'completed',
      'green',
      'critical',
      'monthly',
      1.1,
      420,
      1_120_000,
      PM2,
      [[SEC, 3]],
    ),
    P(
      'INF-05',
      'Data center consolidation',
      'دمج مراكز البيانات',
      'Consolidation of eleven ministry server rooms into the government data centres.',
      'دمج إحدى عشرة غرفة خوادم تابعة للوزارات في مراكز البيانات الحكومية.',
      'planning',
      'cancelled',
      'green',
      'medium',
      'monthly',
      0.2,
      480,
      980_000,
      PM2,
      [[TL, 1]],
    ),
    P(
      'INF-06',
      'National open data platform',
      'منصة البيانات المفتوحة الوطنية',
      'Open government data sets, with APIs and a licence, published by every entity on one platform.',
      'نشر البيانات الحكومية المفتوحة مع واجهات برمجية وترخيص من جميع الجهات على منصة واحدة.',
      'execution',
      'active',
      'green',
      'medium',
      'monthly',
      0.35,
      360,
      340_000,
      PM2,
      [[BA, 0]],
    ),
  ],
  CAP: [
    P(
      'CAP-01',
      'Experience transfer with the United Nations (UNDESA)',
      'نقل التجربة بالتعاون مع إدارة الشؤون الاقتصادية والاجتماعية بالأمم المتحدة',
      'Documents the national e-government experience with UNDESA and shares it with partner countries.',
      'توثيق التجربة الوطنية في الحكومة الإلكترونية بالتعاون مع الأمم المتحدة ومشاركتها مع الدول الشريكة.',
      'execution',
      'active',
      'green',
      'medium',
      'monthly',
      0.6,
      365,
      150_000,
      PM2,
      [[BA, 4]],
    ),
    P(
      'CAP-02',
      'e-Awareness with civil society and the private sector',
      'نشر الوعي الإلكتروني بالشراكة مع المجتمع المدني والقطاع الخاص',
      'Workshops with civil-society organisations and companies on using e-services safely.',
      'ورش عمل مع مؤسسات المجتمع المدني والشركات حول الاستخدام الآمن للخدمات الإلكترونية.',
      'closed',
      'completed',
      'green',
      'low',
      'monthly',
      1.3,
      240,
      90_000,
      PM2,
      [[BA, 4]],
    ),
    P(
      'CAP-03',
      'Digital skills academy',
      'أكاديمية المهارات الرقمية',
      'An academy training 3,000 civil servants a year in data, cloud, cyber security and service design.',
      'أكاديمية تدرب 3,000 موظف حكومي سنوياً في البيانات والسحابة والأمن السيبراني وتصميم الخدمات.',
      'execution',
      'active',
      'amber',
      'high',
      'monthly',
      0.5,
      450,
      480_000,
      PM2,
      [
        [BA, 4],
        [QA, 2],
      ],
    ),
    P(
      'CAP-04',
      'Government CIO forum',
      'ملتقى رؤساء تقنية المعلومات الحكوميين',
      'A quarterly forum of government CIOs to agree shared standards and plan joint procurement.',
      'ملتقى ربع سنوي لرؤساء تقنية المعلومات في الجهات الحكومية للاتفاق على معايير مشتركة وتخطيط المشتريات الموحدة.',
      'initiation',
      'active',
      'green',
      'low',
      'monthly',
      0.02,
      180,
      85_000,
      PM2,
      [[BA, 4]],
    ),
    P(
      'CAP-05',
      'International delegations program',
      'برنامج الوفود الدولية',
      'Hosts and organises visits of international delegations studying the national e-government model.',
      'استضافة وتنظيم زيارات الوفود الدولية لدراسة النموذج الوطني للحكومة الإلكترونية.',
      'closure',
      'active',
      'green',
      'low',
      'monthly',
      0.9,
      300,
      110_000,
      PM2,
      [],
    ),
    P(
      'CAP-06',
      'Innovation lab',
      'مختبر الابتكار',
      'A lab where service teams prototype and test new services with real customers before building them.',
      'مختبر تصمم فيه فرق الخدمات نماذج أولية للخدمات الجديدة وتختبرها مع متعاملين حقيقيين قبل بنائها.',
      'planning',
      'on_hold',
      'red',
      'medium',
      'monthly',
      0.2,
      300,
      220_000,
      PM2,
      [
        [TL, 1],
        [BA, 4],
      ],
    ),
  ],
};

/** The typical milestones: names, share of the planned duration when due, weight. */
const MILESTONES: [string, string, number, number][] = [
  ['Charter approved', 'اعتماد ميثاق المشروع', 0.04, 1],
  ['Requirements signed off', 'اعتماد المتطلبات', 0.14, 1],
  ['Vendor contract awarded', 'ترسية عقد المورد', 0.24, 1],
  ['Design approved', 'اعتماد التصميم', 0.34, 2],
  ['Build complete', 'اكتمال التطوير', 0.6, 3],
  ['User acceptance testing', 'اختبار قبول المستخدم', 0.74, 2],
  ['Go-live', 'الإطلاق', 0.84, 2],
  ['Hypercare closed', 'انتهاء فترة الدعم المكثف', 0.93, 1],
  ['Closure report approved', 'اعتماد تقرير الإغلاق', 1.0, 1],
];

/** Phrases of status reports, in the language the project manager writes in. */
const PHRASES = {
  en: {
    green: [
      'Vendor mobilised; integration with the payment gateway in progress.',
      'Budget on track; change request raised for additional licences.',
      'Design workshops completed with the service owners; the backlog is prioritised.',
      'Sprint goals met; security testing booked for next month.',
    ],
    amber: [
      'UAT delayed two weeks pending security review.',
      'Key integration partner late on the test environment; mitigation agreed.',
      'Two critical defects open from system testing; fixes promised by the vendor.',
    ],
    red: [
      'Build behind plan by more than a month; recovery plan submitted to the PMO.',
      'Vendor resourcing gap not closed; escalated to the sponsor.',
      'Scope change from the service owner not yet approved; the schedule cannot be confirmed.',
    ],
    done: [
      'Go-live completed; 12,000 transactions in the first week.',
      'Hypercare closed with no open priority-1 incidents.',
    ],
    achievements: [
      'Requirements signed off by the service owner.',
      'Test environment handed over by the vendor.',
      'Training delivered to 140 front-office staff.',
      'Data migration rehearsal completed.',
    ],
    next: [
      'Complete user acceptance testing with the service owner.',
      'Finalise the go-live checklist and communication plan.',
      'Close the open security findings.',
      'Submit the gate request for the next phase.',
    ],
    escalation: 'Decision needed from the sponsor on the revised timeline.',
    closed: 'Project closed; benefits are tracked with the service owner.',
  },
  ar: {
    green: [
      'تم تجهيز فريق المورد، والربط مع بوابة الدفع قيد التنفيذ.',
      'الميزانية ضمن الخطة، وتم رفع طلب تغيير لتراخيص إضافية.',
      'اكتملت ورش التصميم مع ملاك الخدمة وتم ترتيب أولويات المتطلبات.',
      'تحققت أهداف الدورة الحالية، وتم حجز اختبار الأمن للشهر القادم.',
    ],
    amber: [
      'تأخر اختبار القبول أسبوعين بانتظار المراجعة الأمنية.',
      'تأخر شريك الربط الرئيسي في تجهيز بيئة الاختبار، وتم الاتفاق على إجراءات معالجة.',
      'توجد ملاحظتان حرجتان من اختبار النظام، ووعد المورد بإصلاحهما.',
    ],
    red: [
      'التطوير متأخر عن الخطة أكثر من شهر، وتم تقديم خطة معالجة لمكتب إدارة المشاريع.',
      'لم يتم سد النقص في موارد المورد، وتم التصعيد إلى الراعي.',
      'لم يُعتمد بعد طلب تغيير النطاق من مالك الخدمة، ولا يمكن تأكيد الجدول الزمني.',
    ],
    done: [
      'تم الإطلاق بنجاح، وتمت 12,000 معاملة في الأسبوع الأول.',
      'انتهت فترة الدعم المكثف دون حوادث حرجة مفتوحة.',
    ],
    achievements: [
      'اعتماد المتطلبات من مالك الخدمة.',
      'استلام بيئة الاختبار من المورد.',
      'تدريب 140 موظفاً من موظفي الواجهة الأمامية.',
      'اكتمال التجربة الأولى لترحيل البيانات.',
    ],
    next: [
      'إكمال اختبار قبول المستخدم مع مالك الخدمة.',
      'اعتماد قائمة التحقق من الإطلاق وخطة التواصل.',
      'معالجة الملاحظات الأمنية المفتوحة.',
      'تقديم طلب الانتقال إلى المرحلة التالية.',
    ],
    escalation: 'مطلوب قرار من الراعي بشأن الجدول الزمني المعدّل.',
    closed: 'أُغلق المشروع، وتتم متابعة المنافع مع مالك الخدمة.',
  },
};

/** A small deterministic random generator, so the demo is the same every time for a given day. */
function rng(seedText: string) {
  let h = 2166136261;
  for (const c of seedText) h = Math.imul(h ^ c.charCodeAt(0), 16777619);
  return () => {
    h += 0x6d2b79f5;
    let t = h;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

async function ensureUsers(db: Db): Promise<Map<string, number>> {
  const hash = await hashPassword(DEMO_PASSWORD);
  const now = new Date().toISOString();
  for (const u of EXTRA_USERS) {
    if (await db('users').where({ email: u.email }).first()) continue;
    await db('users').insert({
      email: u.email,
      name_en: u.nameEn,
      name_ar: u.nameAr,
      role: u.role,
      locale: u.locale,
      password_hash: hash,
      active: true,
      created_at: now,
      updated_at: now,
    });
  }
  const rows = (await db('users').select('id', 'email', 'locale')) as { id: number; email: string }[];
  return new Map(rows.map((r) => [r.email, r.id]));
}

interface MilestoneRow {
  project_id: number;
  title_en: string;
  title_ar: string;
  planned_date: string;
  forecast_date: string | null;
  actual_date: string | null;
  percent_complete: number;
  weight: number;
  owner_id: number | null;
  status: string;
  notes: string | null;
  sort_order: number;
  created_at: string;
  updated_at: string;
}

/**
 * The milestones of a project, shaped so the derived health comes out as intended:
 * green — everything past is done on time; amber — one milestone slipped one to three weeks;
 * red — a milestone more than a month late and the next ones forecast late.
 */
function milestonesFor(
  p: ProjectSeed,
  id: number,
  start: string,
  today: string,
  owner: number | null,
  now: string,
) {
  const r = rng(p.code + 'm');
  const list = p.code.startsWith('CAP') ? MILESTONES.filter((m) => m[0] !== 'Hypercare closed') : MILESTONES;
  const rows: MilestoneRow[] = list.map(([en, ar, frac, weight], i) => ({
    project_id: id,
    title_en: en,
    title_ar: ar,
    planned_date: addDays(start, Math.round(frac * p.days)),
    forecast_date: null,
    actual_date: null,
    percent_complete: 0,
    weight,
    owner_id: owner,
    status: 'not_started',
    notes: null,
    sort_order: (i + 1) * 10,
    created_at: now,
    updated_at: now,
  }));
  const past = rows.filter((m) => m.planned_date < today);
  for (const m of past) {
    const early = Math.floor(r() * 6) - 3;
    const actual = addDays(m.planned_date, early);
    m.status = 'completed';
    m.percent_complete = 100;
    m.actual_date = actual > today ? today : actual;
  }
  const next = rows.find((m) => m.planned_date >= today);
  if (next && p.status !== 'cancelled' && p.status !== 'completed') {
    next.status = 'in_progress';
    // Some milestones due soon are not yet half done: "at risk".
    const soon = daysBetween(today, next.planned_date) <= 14;
    next.percent_complete = soon && r() < 0.5 ? 30 : 50 + Math.floor(r() * 4) * 10;
  }
  if (p.status === 'cancelled') {
    for (const m of rows)
      if (m.status !== 'completed') Object.assign(m, { status: 'cancelled', percent_complete: 0 });
    return rows;
  }
  const lastPast = past[past.length - 1];
  if (p.health === 'amber' && lastPast) {
    const slip = 12 + Math.floor(r() * 8);
    const late = addDays(lastPast.planned_date, slip);
    if (late <= today) {
      lastPast.actual_date = late;
      lastPast.notes = p.code.startsWith('DST') || p.code.startsWith('GOV-0') ? 'Completed late.' : null;
    } else {
      Object.assign(lastPast, {
        status: 'in_progress',
        percent_complete: 80,
        actual_date: null,
        forecast_date: late,
      });
    }
  }
  if (p.health === 'red') {
    const victim = [...past].reverse().find((m) => m.planned_date <= addDays(today, -35)) ?? lastPast;
    if (victim) {
      Object.assign(victim, {
        status: 'in_progress',
        percent_complete: 60,
        actual_date: null,
        forecast_date: addDays(today, 21),
        notes: 'Recovery plan agreed with the vendor.',
      });
      for (const m of past)
        if (m.planned_date > victim.planned_date)
          Object.assign(m, {
            status: 'not_started',
            percent_complete: 0,
            actual_date: null,
            forecast_date: addDays(today, 40),
          });
      if (next)
        Object.assign(next, {
          status: 'not_started',
          percent_complete: 0,
          forecast_date: addDays(next.planned_date, 45),
        });
    }
  }
  return rows;
}

interface ReportRow {
  project_id: number;
  period_start: string;
  period_end: string;
  overall_rag: Rag;
  schedule_rag: Rag;
  budget_rag: Rag;
  scope_rag: Rag;
  risk_rag: Rag;
  summary: string;
  achievements: string | null;
  next_steps: string | null;
  escalations: string | null;
  submitted_by: number | null;
  submitted_at: string;
}

/** Six months of reports (or fewer for young projects), ending with the last finished period. */
function reportsFor(
  p: ProjectSeed,
  id: number,
  start: string,
  end: string,
  today: string,
  by: number | null,
  lang: 'en' | 'ar',
) {
  const r = rng(p.code + 'r');
  const words = PHRASES[lang];
  const pickOne = <T>(xs: T[]) => xs[Math.floor(r() * xs.length)];
  const periods: { start: string; end: string }[] = [];
  const from = addDays(today, -183) > start ? addDays(today, -183) : start;
  let cursor = reportPeriod(p.frequency, from);
  const current = reportPeriod(p.frequency, today);
  while (cursor.end < current.start) {
    periods.push(cursor);
    cursor = reportPeriod(p.frequency, addDays(cursor.end, 1));
  }
  return periods.map((per, i): ReportRow => {
    const fromEnd = periods.length - 1 - i;
    let rag: Rag = 'green';
    if (p.health === 'amber' && fromEnd < 2) rag = 'amber';
    if (p.health === 'red') rag = fromEnd === 0 ? 'red' : fromEnd < 3 ? 'amber' : 'green';
    const summary = p.phase === 'closed' && fromEnd === 0 ? pickOne(words.done) : pickOne(words[rag]);
    const sub = addDays(per.end, 1 + Math.floor(r() * 2));
    return {
      project_id: id,
      period_start: per.start,
      period_end: per.end,
      overall_rag: rag,
      schedule_rag: rag,
      budget_rag: rag === 'red' ? 'amber' : r() < 0.15 ? 'amber' : 'green',
      scope_rag: rag === 'red' && r() < 0.5 ? 'amber' : 'green',
      risk_rag: rag === 'green' ? (r() < 0.25 ? 'amber' : 'green') : rag,
      summary,
      achievements: pickOne(words.achievements),
      next_steps: pickOne(words.next),
      escalations: rag === 'red' ? words.escalation : null,
      submitted_by: by,
      submitted_at: (sub > today ? today : sub) + 'T09:30:00.000Z',
    };
  });
}

async function seedProject(
  trx: Knex.Transaction,
  p: ProjectSeed,
  programId: number,
  programSponsor: number | null,
  users: Map<string, number>,
  locales: Map<number, string>,
  today: string,
  now: string,
): Promise<number | null> {
  if (await trx('projects').where({ code: p.code }).first()) return null;
  const r = rng(p.code);
  const startOffset = Math.round(p.elapsed * p.days);
  const start = addDays(today, -startOffset);
  const end = addDays(start, p.days);
  const started = start <= today;
  const manager = users.get(p.manager) ?? null;
  const sponsor = p.sponsor ? (users.get(p.sponsor) ?? null) : programSponsor;
  const spentShare =
    p.phase === 'closed'
      ? 0.94 + r() * 0.05
      : Math.min(1, p.elapsed) * (p.health === 'red' ? 1.2 : p.health === 'amber' ? 1.08 : 0.92);
  const planned = p.budget * 1000;
  const actual = Math.round(planned * spentShare * (0.97 + r() * 0.04));
  const id = await insertOne(trx, 'projects', {
    code: p.code,
    program_id: programId,
    name_en: p.nameEn,
    name_ar: p.nameAr,
    description_en: p.descEn,
    description_ar: p.descAr,
    scope: `In scope: ${p.nameEn.toLowerCase()} — requirements, procurement, build, testing, go-live and handover to operations.\nOut of scope: changes to the laws and fees behind the services.\n\nضمن النطاق: ${p.nameAr} — المتطلبات والشراء والتطوير والاختبار والإطلاق والتسليم إلى فريق التشغيل.\nخارج النطاق: تعديل التشريعات والرسوم المرتبطة بالخدمات.`,
    manager_id: manager,
    sponsor_id: sponsor,
    phase: p.phase,
    status: p.status,
    priority: p.priority,
    report_frequency: p.frequency,
    planned_start: start,
    planned_end: end,
    actual_start: started
      ? addDays(start, Math.floor(r() * 5)) > today
        ? today
        : addDays(start, Math.floor(r() * 5))
      : null,
    actual_end: p.phase === 'closed' ? (addDays(end, 7) > today ? today : addDays(end, 7)) : null,
    budget_planned: planned,
    budget_actual: started ? actual : 0,
    currency: 'BHD',
    version: 1,
    created_at: now,
    updated_at: now,
  });
  const ms = milestonesFor(p, id, start, today, manager, now);
  await trx('milestones').insert(ms);
  const lang = manager && locales.get(manager) === 'ar' ? 'ar' : 'en';
  const reports = reportsFor(p, id, start, end, today, manager, lang);
  if (reports.length) await trx('status_reports').insert(reports);
  for (const [email, role] of p.members) {
    const uid = users.get(email);
    if (!uid) continue;
    await trx('project_members').insert({
      project_id: id,
      user_id: uid,
      role_en: ROLES_ON_PROJECT[role][0],
      role_ar: ROLES_ON_PROJECT[role][1],
      added_at: now,
    });
  }
  return id;
}

export async function seed(db: Db, ctx: SeedContext): Promise<void> {
  const today = isoDay(ctx.today);
  const now = new Date().toISOString();
  const users = await ensureUsers(db);
  const locales = new Map(
    ((await db('users').select('id', 'locale')) as { id: number; locale: string }[]).map((u) => [
      u.id,
      u.locale,
    ]),
  );
  for (const prog of PROGRAMS) {
    const projects = PROJECTS[prog.code];
    const starts = projects.map((p) => addDays(today, -Math.round(p.elapsed * p.days)));
    const ends = projects.map((p, i) => addDays(starts[i], p.days));
    await db.transaction(async (trx) => {
      let program = (await trx('programs').where({ code: prog.code }).first()) as
        { id: number; sponsor_id: number | null } | undefined;
      if (!program) {
        const id = await insertOne(trx, 'programs', {
          code: prog.code,
          name_en: prog.nameEn,
          name_ar: prog.nameAr,
          description_en: prog.descriptionEn,
          description_ar: prog.descriptionAr,
          sponsor_id: users.get(prog.sponsor) ?? null,
          manager_id: users.get(prog.manager) ?? null,
          planned_start: starts.reduce((a, b) => (a < b ? a : b)),
          planned_end: ends.reduce((a, b) => (a > b ? a : b)),
          status: 'active',
          version: 1,
          created_at: now,
          updated_at: now,
        });
        program = { id, sponsor_id: users.get(prog.sponsor) ?? null };
      }
      const created: number[] = [];
      for (const p of projects) {
        const id = await seedProject(trx, p, program.id, program.sponsor_id, users, locales, today, now);
        if (id) created.push(id);
      }
      await refreshProjects(trx, created, today, ctx.config.health);
    });
  }
}
