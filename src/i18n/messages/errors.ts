import { bilingual } from '../bilingual.js';

export default bilingual(
  {
    '400': { title: 'Bad request', message: 'The request could not be understood.' },
    '403': {
      title: 'Not allowed',
      message: 'You are not allowed to do this.',
      csrf: 'This form has expired or did not come from Masar. Reload the page and try again.',
    },
    '404': {
      title: 'Page not found',
      message: 'The page you asked for does not exist or is not available to you.',
    },
    '409': {
      title: 'Changed by someone else',
      message:
        'Someone else saved a change to this record after you opened it. Your input is kept below; review the current values and save again.',
      alreadyDecided: 'This step has already been decided by someone else.',
    },
    '413': { title: 'Too large', message: 'The file is larger than the limit of {{limit}}.' },
    '422': { title: 'Please check your input', message: 'Some of the values entered need correcting.' },
    '429': { title: 'Too many attempts', message: 'Too many attempts. Please wait and try again.' },
    '500': {
      title: 'Something went wrong',
      message: 'An unexpected error occurred. It has been logged; please try again. Reference: {{requestId}}',
    },
    home: 'Go to the dashboard',
  },
  {
    '400': { title: 'طلب غير صالح', message: 'تعذّر فهم الطلب.' },
    '403': {
      title: 'غير مسموح',
      message: 'ليس لديك صلاحية للقيام بهذا الإجراء.',
      csrf: 'انتهت صلاحية هذا النموذج أو لم يصدر من مسار. أعد تحميل الصفحة وحاول مرة أخرى.',
    },
    '404': { title: 'الصفحة غير موجودة', message: 'الصفحة المطلوبة غير موجودة أو غير متاحة لك.' },
    '409': {
      title: 'تم التعديل من مستخدم آخر',
      message:
        'قام مستخدم آخر بحفظ تعديل على هذا السجل بعد أن فتحته. تم الاحتفاظ بمدخلاتك أدناه؛ راجع القيم الحالية واحفظ مرة أخرى.',
      alreadyDecided: 'تم اتخاذ قرار في هذه الخطوة من قبل مستخدم آخر.',
    },
    '413': { title: 'حجم كبير جداً', message: 'حجم الملف يتجاوز الحد المسموح وهو {{limit}}.' },
    '422': { title: 'يرجى مراجعة المدخلات', message: 'بعض القيم المدخلة تحتاج إلى تصحيح.' },
    '429': { title: 'محاولات كثيرة', message: 'محاولات كثيرة جداً. يرجى الانتظار ثم المحاولة مرة أخرى.' },
    '500': {
      title: 'حدث خطأ',
      message: 'حدث خطأ غير متوقع وتم تسجيله؛ يرجى المحاولة مرة أخرى. المرجع: {{requestId}}',
    },
    home: 'الذهاب إلى لوحة المعلومات',
  },
);
