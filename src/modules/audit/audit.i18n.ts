import { bilingual } from '../../i18n/bilingual.js';

export const messages = bilingual(
  {
    title: 'Audit log',
    intro:
      'Every change in Masar, who made it and when. Entries are chained by hash; run "npm run audit:verify" to check the chain.',
    at: 'Time',
    actor: 'By',
    action: 'Action',
    entity: 'Record',
    entityId: 'Id',
    before: 'Before',
    after: 'After',
    request: 'Request',
    from: 'From',
    to: 'To',
    system: 'System',
    anyEntity: 'Any record type',
    details: 'Details',
  },
  {
    title: 'سجل التدقيق',
    intro:
      'كل تغيير في مسار، ومن قام به ومتى. السجلات مترابطة بالبصمة؛ شغّل "npm run audit:verify" للتحقق من السلسلة.',
    at: 'الوقت',
    actor: 'بواسطة',
    action: 'الإجراء',
    entity: 'السجل',
    entityId: 'المعرّف',
    before: 'قبل',
    after: 'بعد',
    request: 'الطلب',
    from: 'من',
    to: 'إلى',
    system: 'النظام',
    anyEntity: 'أي نوع سجل',
    details: 'التفاصيل',
  },
);
