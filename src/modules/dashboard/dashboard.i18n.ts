import { bilingual } from '../../i18n/bilingual.js';

export const messages = bilingual(
  {
    seeAll: 'See all ({{count}})',
    columns: {
      project: 'Project',
      program: 'Program',
      health: 'Health',
      phase: 'Phase',
      progress: 'Progress',
      nextMilestone: 'Next milestone',
      budget: 'Spent / planned',
    },
    widgets: {
      health: {
        title: 'Portfolio health',
        programs: 'Programs',
        projects: 'Projects',
        progress: 'Progress of active projects',
        late: 'Late milestones',
        spentOf: 'spent of {{planned}} planned',
        healthTitle: 'Health of active projects',
        byPhase: 'Projects by phase',
        byStatus: 'Projects by status',
      },
      projects: {
        titlePm: 'My projects',
        titleSponsor: 'Projects I sponsor',
        none: 'No open projects.',
      },
      programs: {
        title: 'Programs',
        none: 'No programs to show.',
      },
      budget: {
        title: 'Budget overruns',
        none: 'No project is over its planned budget.',
        spent: '{{actual}} spent of {{planned}} planned',
        overrun: 'Over by',
      },
      due: {
        title: 'Milestones due in the next {{days}} days',
        none: 'No open milestones are planned in this period.',
      },
      late: {
        title: 'Late milestones',
        none: 'No milestone is late.',
      },
    },
  },
  {
    seeAll: 'عرض الكل ({{count}})',
    columns: {
      project: 'المشروع',
      program: 'البرنامج',
      health: 'الصحة',
      phase: 'المرحلة',
      progress: 'الإنجاز',
      nextMilestone: 'المعلم الرئيسي التالي',
      budget: 'المصروف / المخطط',
    },
    widgets: {
      health: {
        title: 'صحة المحفظة',
        programs: 'البرامج',
        projects: 'المشاريع',
        progress: 'إنجاز المشاريع النشطة',
        late: 'المعالم المتأخرة',
        spentOf: 'مصروف من أصل {{planned}} مخطط',
        healthTitle: 'صحة المشاريع النشطة',
        byPhase: 'المشاريع حسب المرحلة',
        byStatus: 'المشاريع حسب الحالة',
      },
      projects: {
        titlePm: 'مشاريعي',
        titleSponsor: 'المشاريع التي أرعاها',
        none: 'لا توجد مشاريع مفتوحة.',
      },
      programs: {
        title: 'البرامج',
        none: 'لا توجد برامج للعرض.',
      },
      budget: {
        title: 'تجاوزات الميزانية',
        none: 'لا يوجد مشروع تجاوز ميزانيته المخططة.',
        spent: 'صُرف {{actual}} من أصل {{planned}} مخطط',
        overrun: 'التجاوز',
      },
      due: {
        title: 'المعالم الرئيسية المستحقة خلال {{days}} يوماً',
        none: 'لا توجد معالم مفتوحة مخطط لها في هذه الفترة.',
      },
      late: {
        title: 'المعالم الرئيسية المتأخرة',
        none: 'لا توجد معالم متأخرة.',
      },
    },
  },
);
