/*
 * dashboard.js - the overdue dashboard (overdue-report --format html).
 *
 * The page carries its data as gzip + base64 JSON (web/README.md describes
 * the shape).  This script decodes it, turns the columns into typed arrays
 * once, and for every amount filter builds a boolean mask over the half-bin
 * keys and sums each table in one pass.  Every figure is Σ numerator ÷
 * Σ denominator over the selected keys.  Charts are hand-written SVG; every
 * text from the data goes through textContent.  No network, no library.
 */
'use strict';

(function () {
  const T0 = performance.now();
  const ROOT = document.documentElement;
  const $ = (sel, from) => (from || document).querySelector(sel);
  const $$ = (sel, from) => Array.from((from || document).querySelectorAll(sel));

  /* ================================================================ errors */

  /* Show a script error on the page and in data-error (the tests read it). */
  function fail(message) {
    const text = String(message || 'error');
    ROOT.setAttribute('data-error', text);
    const box = document.getElementById('error');
    if (box) {
      box.textContent = text;
      box.hidden = false;
    }
    const loading = document.getElementById('loading');
    if (loading) loading.hidden = true;
  }
  window.addEventListener('error', (ev) => fail(ev.message || (ev.error && ev.error.message)));
  window.addEventListener('unhandledrejection', (ev) => {
    const r = ev.reason;
    fail(r && r.message ? r.message : String(r));
  });

  /* ================================================================ texts */

  const I18N = {
    ru: {
      title: 'Просроченные займы',
      loading: 'Загрузка данных…',
      meta: 'Данные на {0} · витрина построена {1}',
      filter_h: 'Фильтр',
      buckets: 'Группа суммы',
      'b_lt50k': 'до 50 тыс. ₽',
      'b_50k-100k': '50–100 тыс. ₽',
      'b_100k-500k': '100–500 тыс. ₽',
      'b_ge500k': 'от 500 тыс. ₽',
      range: 'Сумма займа, ₽',
      min: 'от',
      max: 'до',
      period: 'Месяцы на графиках',
      period_from: 'с',
      period_to: 'по',
      reset: 'Сбросить фильтр',
      used: 'Использован диапазон {0}: агрегаты делятся по сетке 1 000 ₽, границы округлены внутрь.',
      invalid: 'Не число: «{0}» — граница не применена.',
      empty_range: 'Минимум больше максимума: в фильтр не попадает ни один займ.',
      sum_all: 'Фильтр: все займы',
      sum_prefix: 'Фильтр: ',
      sum_buckets: 'группы {0}',
      sum_bucket: 'группа {0}',
      sum_range: 'сумма займа {0}',
      sum_and: ' и ',
      sum_period: '; месяцы на графиках {0}',
      range_from: 'от {0}',
      range_to: 'до {0}',
      nodata: 'Нет данных: в витрине нет займов.',
      kpi_h: 'Показатели на {0}',
      k_active_loans: 'Активные займы',
      k_overdue_loans: 'Просроченные займы',
      k_overdue_share: 'Доля просроченных',
      k_par30_share: 'PAR30',
      k_par90_share: 'PAR90',
      k_outstanding: 'Остаток долга',
      k_overdue_outstanding: 'Остаток по просроченным',
      k_arrears: 'Просроченная задолженность',
      k_issued_amount: 'Выдано всего',
      kh_par30_share: 'остаток с просрочкой > 30 дн. ÷ весь остаток',
      kh_par90_share: 'остаток с просрочкой > 90 дн. ÷ весь остаток',
      kh_overdue_share: 'просроченные ÷ активные',
      vs_prev: 'к {0}',
      no_prev: 'нет прошлого месяца',
      pp: 'п. п.',
      measure: 'Показатель',
      share_h: 'Доля просроченных займов по месяцам',
      m_share: 'Доля просроченных займов',
      m_late: 'Доля займов с просроченным платежом (как в исходном отчёте)',
      share_note: 'На конец месяца (последний месяц — на дату отчёта): просроченные займы ÷ активные (текущие и просроченные).',
      late_note: 'Как в исходном отчёте: из займов, у которых в месяце был платёж по графику, — доля тех, у кого хоть один такой платёж внесён позже срока или не полностью.',
      s_share: 'Доля просроченных',
      s_late: 'Доля с просроченным платежом',
      tip_share: 'просрочено {0} из {1} активных',
      tip_late: 'с просроченным платежом {0} из {1}',
      buckets_h: 'Просроченные займы по дням просрочки',
      dpd1: '1–30 дн.',
      dpd2: '31–60 дн.',
      dpd3: '61–90 дн.',
      dpd4: '91+ дн.',
      tip_total: 'всего просрочено {0}',
      par_h: 'PAR30 и PAR90',
      par30: 'PAR30 (> 30 дн.)',
      par90: 'PAR90 (> 90 дн.)',
      tip_par: '{0}: {1} из {2}',
      cure_h: 'Доля излечения',
      cure_note: 'Из займов, просроченных на конец прошлого месяца, — доля текущих или закрытых на конец месяца.',
      buckets_note: 'Число просроченных займов на конец месяца по корзинам дней просрочки.',
      par_note: 'Доля остатка долга активных займов с просрочкой более 30 и более 90 дней.',
      vint_note: 'Одна линия — займы, выданные в одном году; по горизонтали — месяцы с выдачи. Доля = займы, хоть раз просроченные более 30 дней к этому месяцу ÷ все займы этих винтажей, доживших до него.',
      cure: 'Доля излечения',
      tip_cure: 'излечено {0} из {1} просроченных месяцем ранее',
      tip_cured_of: 'Излечено / было просрочено',
      vint_h: 'Винтажи: доля займов с просрочкой более 30 дней',
      vint_year: 'выданы в {0}',
      x_mob: 'месяцев с выдачи',
      mob: 'Месяц с выдачи',
      year: 'Год выдачи',
      tip_mob: '{0}-й месяц с выдачи',
      tip_vint: '{0}: {1} ({2} из {3})',
      roll_h: 'Матрица переходов: {0} → {1}',
      roll_note: 'Строки — корзина просрочки займов на конец {0}, столбцы — их состояние на конец {1}. Roll rate — доля перешедших в худшую корзину (закрытие и улучшение не считаются).',
      roll_none: 'Нужно хотя бы два месяца данных.',
      roll_from: 'Из корзины',
      roll_loans: 'Займов',
      roll_rate: 'Roll rate',
      b0: 'Без просрочки',
      closed: 'Закрыт',
      attr_h: 'Доля просроченных займов по признакам клиентов',
      attr_note: 'На {0}; пунктир — доля по всем займам фильтра ({1}).',
      a_region: 'Регион',
      a_job_type: 'Занятость',
      a_education: 'Образование',
      a_age_band: 'Возраст',
      a_gender: 'Пол',
      a_count_of_children: 'Дети',
      a_family_status: 'Семейное положение',
      attr_val: '{0} ({1} из {2})',
      value: 'Значение',
      active: 'Активные',
      overdue: 'Просроченные',
      share: 'Доля',
      loans_h: 'Просроченные займы',
      loans_csv: 'Скачать CSV',
      loans_limit: 'В отчёт включены не более {0} займов с наибольшей просроченной задолженностью в каждой группе суммы. Всего просроченных займов в фильтре — {1}, здесь из них {2}.',
      loans_count: 'Просроченных займов в фильтре — {0}.',
      loans_shown: 'Показаны первые {0} из {1} строк; все {1} — в файле CSV.',
      loans_none: 'В фильтре нет просроченных займов.',
      sort_by: 'Сортировать по столбцу «{0}»',
      c_client_id: 'Клиент',
      c_fio: 'ФИО',
      c_region: 'Регион',
      c_phone: 'Телефон',
      c_loan_name: 'Займ',
      c_loan_amount: 'Сумма займа',
      c_dpd: 'Дней просрочки',
      c_dpd_bucket: 'Корзина',
      c_arrears: 'Просрочено',
      c_outstanding: 'Остаток',
      table: 'Таблица данных',
      month: 'Месяц',
      no_rows: 'Нет данных в фильтре',
      chart_desc: '{0}. Подробные значения — в таблице данных под графиком.',
      footer: 'Страница сформирована программой overdue-report; все показатели рассчитаны в ней самой по встроенным агрегатам, сеть не используется.',
      err_nodata: 'Данные не встроены в страницу (соберите её: overdue-report --format html или web/dev-build).',
      err_decode: 'Не удалось распаковать данные: {0}',
      unknown: 'неизвестно',
      other: 'другой'
    },
    en: {
      title: 'Overdue loans',
      loading: 'Loading data…',
      meta: 'As of {0} · mart built {1}',
      filter_h: 'Filter',
      buckets: 'Amount bucket',
      'b_lt50k': 'under 50k',
      'b_50k-100k': '50k–100k',
      'b_100k-500k': '100k–500k',
      'b_ge500k': '500k and over',
      range: 'Loan amount, RUB',
      min: 'from',
      max: 'to',
      period: 'Months in charts',
      period_from: 'from',
      period_to: 'to',
      reset: 'Reset filter',
      used: 'Range used: {0}. The aggregates are split on a 1,000 RUB grid; the bounds were rounded inwards.',
      invalid: 'Not a number: “{0}” — that bound is not applied.',
      empty_range: 'The minimum is above the maximum: no loan is in the filter.',
      sum_all: 'Filter: all loans',
      sum_prefix: 'Filter: ',
      sum_buckets: 'buckets {0}',
      sum_bucket: 'bucket {0}',
      sum_range: 'loan amount {0}',
      sum_and: ' and ',
      sum_period: '; months in charts {0}',
      range_from: 'from {0}',
      range_to: 'up to {0}',
      nodata: 'No data: the mart has no loans.',
      kpi_h: 'Key figures as of {0}',
      k_active_loans: 'Active loans',
      k_overdue_loans: 'Overdue loans',
      k_overdue_share: 'Overdue share',
      k_par30_share: 'PAR30',
      k_par90_share: 'PAR90',
      k_outstanding: 'Outstanding (RUB)',
      k_overdue_outstanding: 'Overdue outstanding (RUB)',
      k_arrears: 'Arrears (RUB)',
      k_issued_amount: 'Total issued (RUB)',
      kh_par30_share: 'outstanding > 30 days past due ÷ all outstanding',
      kh_par90_share: 'outstanding > 90 days past due ÷ all outstanding',
      kh_overdue_share: 'overdue ÷ active',
      vs_prev: 'vs {0}',
      no_prev: 'no previous month',
      pp: 'pp',
      measure: 'Measure',
      share_h: 'Overdue share by month',
      m_share: 'Overdue loan share',
      m_late: 'Share of loans with a late payment (seed report)',
      share_note: 'At month end (the last month: at the report date): overdue loans ÷ active loans (current and overdue).',
      late_note: 'As in the seed report: of the loans with a scheduled payment in the month, the share with at least one such payment made late or short.',
      s_share: 'Overdue share',
      s_late: 'Late payment share',
      tip_share: '{0} overdue of {1} active',
      tip_late: '{0} with a late payment of {1}',
      buckets_h: 'Overdue loans by days past due',
      dpd1: '1–30 days',
      dpd2: '31–60 days',
      dpd3: '61–90 days',
      dpd4: '91+ days',
      tip_total: '{0} overdue in all',
      par_h: 'PAR30 and PAR90',
      par30: 'PAR30 (> 30 days)',
      par90: 'PAR90 (> 90 days)',
      tip_par: '{0}: {1} of {2}',
      cure_h: 'Cure rate',
      cure_note: 'Of the loans overdue at the end of the previous month, the share current or closed at the end of the month.',
      buckets_note: 'Overdue loans at month end by days-past-due bucket.',
      par_note: 'Share of the active loans’ outstanding that is more than 30 and more than 90 days past due.',
      vint_note: 'One line per start year; across: months on book. Share = loans ever more than 30 days past due by that month ÷ all loans of the year’s vintages old enough to have reached it.',
      cure: 'Cure rate',
      tip_cure: '{0} cured of {1} overdue a month before',
      tip_cured_of: 'Cured / overdue before',
      vint_h: 'Vintages: share of loans ever more than 30 days past due',
      vint_year: 'issued in {0}',
      x_mob: 'months on book',
      mob: 'Months on book',
      year: 'Start year',
      tip_mob: 'month {0} on book',
      tip_vint: '{0}: {1} ({2} of {3})',
      roll_h: 'Roll matrix: {0} → {1}',
      roll_note: 'Rows: the loans’ days-past-due bucket at the end of {0}; columns: their state at the end of {1}. Roll rate = the share moved to a worse bucket (closed and better do not count).',
      roll_none: 'Needs at least two months of data.',
      roll_from: 'From bucket',
      roll_loans: 'Loans',
      roll_rate: 'Roll rate',
      b0: 'Current',
      closed: 'Closed',
      attr_h: 'Overdue share by client attribute',
      attr_note: 'As of {0}; dashed line: the share over all loans in the filter ({1}).',
      a_region: 'Region',
      a_job_type: 'Employment',
      a_education: 'Education',
      a_age_band: 'Age',
      a_gender: 'Gender',
      a_count_of_children: 'Children',
      a_family_status: 'Marital status',
      attr_val: '{0} ({1} of {2})',
      value: 'Value',
      active: 'Active',
      overdue: 'Overdue',
      share: 'Share',
      loans_h: 'Overdue loans',
      loans_csv: 'Download CSV',
      loans_limit: 'The report holds at most {0} loans with the largest arrears per amount bucket. The filter has {1} overdue loans in all; {2} of them are here.',
      loans_count: 'Overdue loans in the filter: {0}.',
      loans_shown: 'Showing the first {0} of {1} rows; all {1} are in the CSV file.',
      loans_none: 'No overdue loans in the filter.',
      sort_by: 'Sort by “{0}”',
      c_client_id: 'Client',
      c_fio: 'Name',
      c_region: 'Region',
      c_phone: 'Phone',
      c_loan_name: 'Loan',
      c_loan_amount: 'Loan amount',
      c_dpd: 'Days past due',
      c_dpd_bucket: 'Bucket',
      c_arrears: 'Arrears',
      c_outstanding: 'Outstanding',
      table: 'Data table',
      month: 'Month',
      no_rows: 'No data in the filter',
      chart_desc: '{0}. The values are in the data table below the chart.',
      footer: 'Made by overdue-report; every figure is computed in this page from the embedded aggregates, without any network.',
      err_nodata: 'No data is embedded in this page (build it with overdue-report --format html or web/dev-build).',
      err_decode: 'Could not unpack the data: {0}',
      unknown: 'unknown',
      other: 'other'
    }
  };

  /* English names of the seed's attribute values (data values, not labels;
   * anything else is shown as it is). */
  const VALUE_EN = {
    'Мужчина': 'Male', 'Женщина': 'Female',
    'Начальное': 'Primary', 'Среднее': 'Secondary', 'Высшее': 'Higher', 'Два высших': 'Two degrees',
    'Работает по найму': 'Employed', 'ИП': 'Sole trader', 'Самозанятый': 'Self-employed',
    'Безработный': 'Unemployed', 'В браке': 'Married', 'Не в браке': 'Not married',
    'Москва': 'Moscow', 'Санкт-Петербург': 'Saint Petersburg', 'Нижний Новгород': 'Nizhny Novgorod',
    'Екатеринбург': 'Yekaterinburg', 'Новосибирск': 'Novosibirsk', 'Казань': 'Kazan'
  };

  const MONTHS_SHORT = {
    ru: ['янв', 'фев', 'мар', 'апр', 'май', 'июн', 'июл', 'авг', 'сен', 'окт', 'ноя', 'дек'],
    en: ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']
  };
  const MONTHS_LONG = {
    ru: ['январь', 'февраль', 'март', 'апрель', 'май', 'июнь', 'июль', 'август', 'сентябрь',
      'октябрь', 'ноябрь', 'декабрь'],
    en: ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September',
      'October', 'November', 'December']
  };
  /* ... in the dative ("к февралю 2024") */
  const MONTHS_DAT_RU = ['январю', 'февралю', 'марту', 'апрелю', 'маю', 'июню', 'июлю', 'августу',
    'сентябрю', 'октябрю', 'ноябрю', 'декабрю'];
  /* Russian month names in the genitive ("15 марта 2024 г.") */
  const MONTHS_GEN_RU = ['января', 'февраля', 'марта', 'апреля', 'мая', 'июня', 'июля', 'августа',
    'сентября', 'октября', 'ноября', 'декабря'];

  const NBSP = '\u00a0';
  const FMT = {
    ru: { group: NBSP, dec: ',', cur: NBSP + '₽', pct: NBSP + '%', minus: '−' },
    en: { group: ',', dec: '.', cur: '', pct: '%', minus: '−' }
  };

  /* ================================================================ constants */

  const BUCKETS = ['lt50k', '50k-100k', '100k-500k', 'ge500k'];
  /* the seed's bucket of a half-bin key (web/README.md) */
  function bucketOfKey(k) {
    return k < 100 ? 0 : k < 200 ? 1 : k < 1000 ? 2 : 3;
  }

  /* month x half-bin columns, interleaved row by row in one Float64Array */
  const MB_COLS = ['a', 'o', 'out', 'd1', 'd2', 'd3', 'd4', 'p30', 'p90',
    'fl', 'fll', 'po', 'cu', 'in'];
  /* mb's money is in whole roubles (charts only); kept as kopecks inside */
  const MB_ROUBLES = { out: true, p30: true, p90: true };
  /* the tiles' exact money (kopecks) for the last two months */
  const LAST_COLS = ['out', 'oout', 'arr', 'p30', 'p90', 'ik'];
  const NL = LAST_COLS.length;
  const LC = {};
  LAST_COLS.forEach((c, i) => { LC[c] = i; });
  const NC = MB_COLS.length;
  const C = {};
  MB_COLS.forEach((c, i) => { C[c] = i; });

  /* the page shows the attributes in this order; others in the data follow */
  const ATTR_ORDER = ['region', 'job_type', 'education', 'age_band', 'gender',
    'count_of_children', 'family_status'];
  /* attributes whose values have a natural order: keep the data's order */
  const LOAN_NUMERIC = { client_id: true, loan_amount: true, dpd: true, arrears: true, outstanding: true };
  const LOAN_MONEY = { loan_amount: true, arrears: true, outstanding: true };
  const DPD_BUCKETS = ['0', '1-30', '31-60', '61-90', '91+'];
  const LOANS_SHOWN = 200;
  const PRINT_W = 690;   /* CSS px across an A4 page inside the default margins */

  /* Okabe-Ito */
  const COL = {
    blue: '#0072B2', orange: '#E69F00', sky: '#56B4E9', green: '#009E73',
    verm: '#D55E00', purple: '#CC79A7', yellow: '#F0E442', black: '#000000'
  };
  const DPD_COLORS = [COL.sky, COL.orange, COL.verm, COL.purple];

  /* ================================================================ state */

  const state = {
    lang: 'ru',
    buckets: new Set(),
    minText: '',
    maxText: '',
    from: '',          /* "YYYY-MM" or '' (first month) */
    to: '',            /* "YYYY-MM" or '' (last month) */
    measure: 'share',  /* headline: 'share' or 'late' */
    sortCol: null,     /* loans table: null = the data's order (arrears desc) */
    sortDir: -1
  };

  let DATA = null;     /* prepared data (prepare()) */
  let AGG = null;      /* aggregates for the current filter (aggregate()) */
  let FILTER = null;   /* the resolved filter (resolveFilter()) */
  let L = FMT.ru;      /* number format of the current language */

  /* ================================================================ text helpers */

  /* The label KEY in the current language, {0}.. replaced by the arguments. */
  function t(key) {
    const table = I18N[state.lang] || I18N.ru;
    let s = Object.prototype.hasOwnProperty.call(table, key) ? table[key] : I18N.ru[key];
    if (s === undefined) s = key;
    for (let i = 1; i < arguments.length; i++) s = s.split('{' + (i - 1) + '}').join(String(arguments[i]));
    return s;
  }

  /* A data value as shown in charts (translated when it is a known seed value). */
  function showValue(v) {
    if (v === null || v === undefined || v === 'unknown') return t('unknown');
    if (v === 'other') return t('other');
    if (state.lang === 'en' && Object.prototype.hasOwnProperty.call(VALUE_EN, v)) return VALUE_EN[v];
    return String(v);
  }

  /* "1234567" -> "1 234 567" (digits only) */
  function groupDigits(s, sep) {
    let out = '';
    const n = s.length;
    for (let i = 0; i < n; i++) {
      if (i > 0 && (n - i) % 3 === 0) out += sep;
      out += s[i];
    }
    return out;
  }

  /* An integer count, grouped. */
  function fmtInt(n) {
    if (!Number.isFinite(n)) return '—';
    const r = Math.round(n);
    return (r < 0 ? L.minus : '') + groupDigits(String(Math.abs(r)), L.group);
  }

  /* Kopecks as money: ru "12 345,67 ₽", en "12,345.67". */
  function fmtMoney(k) {
    if (!Number.isFinite(k)) return '—';
    const r = Math.round(k);
    const a = Math.abs(r);
    const rub = Math.floor(a / 100);
    const kop = a - rub * 100;
    return (r < 0 ? L.minus : '') + groupDigits(String(rub), L.group) + L.dec +
      String(kop).padStart(2, '0') + L.cur;
  }

  /* Kopecks as whole roubles (the charts' money is rounded to roubles). */
  function fmtMoney0(k) {
    if (!Number.isFinite(k)) return '—';
    const r = Math.round(k / 100);
    return (r < 0 ? L.minus : '') + groupDigits(String(Math.abs(r)), L.group) + L.cur;
  }

  /* A decimal with a fixed number of fraction digits in the current language. */
  function fmtDec(x, digits) {
    const s = Math.abs(x).toFixed(digits);
    const dot = s.indexOf('.');
    const whole = dot < 0 ? s : s.slice(0, dot);
    const frac = dot < 0 ? '' : s.slice(dot + 1);
    const neg = x < 0 && Number(s) !== 0;
    return (neg ? L.minus : '') + groupDigits(whole, L.group) + (frac ? L.dec + frac : '');
  }

  /* A fraction as a percentage: ru "12,7 %", en "12.7%". */
  function fmtPct(x, digits) {
    if (!Number.isFinite(x)) return '—';
    return fmtDec(x * 100, digits === undefined ? 1 : digits) + L.pct;
  }

  /* Kopecks in a short form for axes and tiles: "12,3 млн ₽" / "12.3M". */
  function fmtMoneyShort(k) {
    if (!Number.isFinite(k)) return '—';
    const rub = k / 100;
    const a = Math.abs(rub);
    const units = state.lang === 'en'
      ? [[1e12, 'T'], [1e9, 'B'], [1e6, 'M'], [1e3, 'k']]
      : [[1e12, NBSP + 'трлн'], [1e9, NBSP + 'млрд'], [1e6, NBSP + 'млн'], [1e3, NBSP + 'тыс.']];
    for (const [u, name] of units) {
      if (a >= u) {
        const v = rub / u;
        const digits = Math.abs(v) >= 100 ? 0 : Math.abs(v) >= 10 ? 1 : 2;
        return fmtDec(v, digits) + name + L.cur;
      }
    }
    return fmtDec(rub, 0) + L.cur;
  }

  /* A count in a short form for axes: "12 тыс." / "12k". */
  function fmtIntShort(n) {
    const a = Math.abs(n);
    const units = state.lang === 'en'
      ? [[1e9, 'B'], [1e6, 'M'], [1e3, 'k']]
      : [[1e9, NBSP + 'млрд'], [1e6, NBSP + 'млн'], [1e3, NBSP + 'тыс.']];
    for (const [u, name] of units) {
      if (a >= u) {
        const v = n / u;
        return fmtDec(v, Number.isInteger(v) ? 0 : Math.abs(v) >= 10 ? 0 : 1) + name;
      }
    }
    return fmtDec(n, Number.isInteger(n) ? 0 : 1);
  }

  /* Roubles (a whole number) grouped, with the currency: for range texts. */
  function fmtRoubles(rub) {
    return groupDigits(String(rub), L.group) + (state.lang === 'en' ? ' RUB' : L.cur);
  }

  /* ---- the raw TSV texts of data-value (exact, as overdue-report prints) ---- */

  /* A share num/den rounded half up to 6 decimals; '' when den is 0. */
  function rawShare(num, den) {
    if (!den) return '';
    const n = BigInt(Math.round(num));
    const d = BigInt(Math.round(den));
    const q = (2n * n * 1000000n + d) / (2n * d);
    const s = q.toString().padStart(7, '0');
    return s.slice(0, -6) + '.' + s.slice(-6);
  }

  /* Kopecks as "12345.67". */
  function rawMoney(k) {
    let v = BigInt(Math.round(k));
    const neg = v < 0n;
    if (neg) v = -v;
    const s = (v / 100n).toString() + '.' + (v % 100n).toString().padStart(2, '0');
    return neg ? '-' + s : s;
  }

  /* ================================================================ months */

  /* Month index -> {y, m} (m 0..11). */
  function monthOf(i) {
    const z = DATA.firstY * 12 + DATA.firstM + i;
    return { y: Math.floor(z / 12), m: z % 12 };
  }
  function monthShort(i) {
    const { y, m } = monthOf(i);
    return MONTHS_SHORT[state.lang][m] + ' ' + String(y);
  }
  function monthLong(i) {
    const { y, m } = monthOf(i);
    return MONTHS_LONG[state.lang][m] + ' ' + String(y);
  }
  /* "февраля 2024" (ru genitive: "на конец февраля 2024") / "February 2024" */
  function monthGen(i) {
    const { y, m } = monthOf(i);
    return (state.lang === 'en' ? MONTHS_LONG.en[m] : MONTHS_GEN_RU[m]) + ' ' + String(y);
  }
  /* "февралю 2024" (ru dative: "к февралю 2024") / "February 2024" */
  function monthDat(i) {
    const { y, m } = monthOf(i);
    return (state.lang === 'en' ? MONTHS_LONG.en[m] : MONTHS_DAT_RU[m]) + ' ' + String(y);
  }
  function monthIso(i) {
    const { y, m } = monthOf(i);
    return String(y) + '-' + String(m + 1).padStart(2, '0');
  }
  /* "YYYY-MM" -> month index, or -1 */
  function monthIndex(iso) {
    const mm = /^(\d{4})-(\d{2})$/.exec(iso || '');
    if (!mm || !DATA.firstY) return -1;
    return Number(mm[1]) * 12 + Number(mm[2]) - 1 - (DATA.firstY * 12 + DATA.firstM);
  }
  /* "2024-03-15" in words: "15 марта 2024 г." / "15 March 2024" */
  function dateLong(iso) {
    const mm = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso || '');
    if (!mm) return String(iso || '');
    const d = Number(mm[3]);
    const m = Number(mm[2]) - 1;
    if (state.lang === 'en') return d + ' ' + MONTHS_LONG.en[m] + ' ' + mm[1];
    return d + NBSP + MONTHS_GEN_RU[m] + ' ' + mm[1] + NBSP + 'г.';
  }

  /* ================================================================ decoding */

  /* The embedded data: base64 -> gzip -> JSON. */
  async function loadData() {
    const node = document.getElementById('overdue-data');
    const b64 = node ? node.textContent.replace(/\s+/g, '') : '';
    if (!b64.startsWith('H4sI')) throw new Error(t('err_nodata'));  /* gzip's magic in base64 */
    let text;
    try {
      let bytes;
      if (typeof Uint8Array.fromBase64 === 'function') bytes = Uint8Array.fromBase64(b64);
      else {
        const bin = atob(b64);
        bytes = new Uint8Array(bin.length);
        for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
      }
      /* the whole buffer in one write (faster than a Blob's chunked stream);
       * a corrupt buffer rejects the read below, which reports it */
      const ds = new DecompressionStream('gzip');
      const w = ds.writable.getWriter();
      w.write(bytes).catch(() => {});
      w.close().catch(() => {});
      text = await new Response(ds.readable).text();
    } catch (e) {
      throw new Error(t('err_decode', e && e.message ? e.message : String(e)));
    }
    return JSON.parse(text);
  }

  /* A column as an Int32Array (missing -> zeros). */
  function ints(col, n) {
    const out = new Int32Array(n);
    if (Array.isArray(col)) for (let i = 0; i < n; i++) out[i] = col[i] | 0;
    return out;
  }
  /* A column as a Float64Array (integers up to 2^53 stay exact). */
  function floats(col, n) {
    const out = new Float64Array(n);
    if (Array.isArray(col)) for (let i = 0; i < n; i++) out[i] = Number(col[i]) || 0;
    return out;
  }
  function colLen(tab, name) {
    return tab && Array.isArray(tab[name]) ? tab[name].length : 0;
  }

  /* The JSON -> typed arrays, once.  Rows with a month outside the range
   * are dropped here so the hot loops need no checks. */
  function prepare(raw) {
    const D = {
      asOf: String(raw.as_of || ''),
      builtAt: String(raw.built_at || ''),
      months: 0,
      firstY: 0,
      firstM: 0,
      init: raw.init || {},
      maxKey: 0
    };
    const fm = /^(\d{4})-(\d{2})/.exec(raw.first_month || '');
    if (fm && Number(raw.months) > 0) {
      D.firstY = Number(fm[1]);
      D.firstM = Number(fm[2]) - 1;
      D.months = Number(raw.months) | 0;
    }
    const months = D.months;
    let maxKey = 0;
    const seeKeys = (k) => { for (let i = 0; i < k.length; i++) if (k[i] > maxKey) maxKey = k[i]; };

    D.mb = prepareMb(raw.mb || {}, months);
    seeKeys(D.mb.k);

    /* last: the tiles' exact money, months-2 and months-1 */
    {
      const l = raw.last || {};
      const n = colLen(l, 'm');
      D.last = { n, m: ints(l.m, n), k: ints(l.k, n), cols: LAST_COLS.map((c) => floats(l[c], n)) };
      seeKeys(D.last.k);
    }

    /* roll: the last month's matrix */
    {
      const r = raw.roll || {};
      const n = colLen(r, 'k');
      D.roll = { n, k: ints(r.k, n), f: ints(r.f, n), t: ints(r.t, n), cnt: floats(r.n, n) };
      seeKeys(D.roll.k);
    }

    /* vint: vintage x half-bin x first-30 month-on-book */
    {
      const v = raw.vint || {};
      const n = colLen(v, 'v');
      D.vint = { n, v: ints(v.v, n), k: ints(v.k, n), f: ints(v.f, n), cnt: floats(v.n, n) };
      seeKeys(D.vint.k);
    }

    /* attr: one table per attribute */
    D.attrs = [];
    const attr = raw.attr || {};
    const names = ATTR_ORDER.filter((a) => attr[a]).concat(Object.keys(attr).filter((a) => !ATTR_ORDER.includes(a)));
    for (const name of names) {
      const a = attr[name] || {};
      const n = colLen(a, 'x');
      const values = Array.isArray(a.values) ? a.values.map((v) => (v === null ? 'unknown' : String(v))) : [];
      /* show "unknown" last, keep the data's order otherwise */
      const order = values.map((_, i) => i);
      order.sort((i, j) => (values[i] === 'unknown') - (values[j] === 'unknown') || i - j);
      const tab = { name, values, order, n, x: ints(a.x, n), k: ints(a.k, n), a: floats(a.a, n), o: floats(a.o, n) };
      seeKeys(tab.k);
      D.attrs.push(tab);
    }

    /* loans: text rows as given, plus numbers for sorting */
    {
      const l = raw.loans || {};
      const cols = Array.isArray(l.cols) ? l.cols.map(String) : [];
      const rows = Array.isArray(l.rows) ? l.rows : [];
      const n = rows.length;
      const k = ints(l.k, n);
      const num = {};
      cols.forEach((c, j) => {
        if (LOAN_NUMERIC[c]) {
          const a = new Float64Array(n);
          for (let i = 0; i < n; i++) {
            const v = parseFloat(rows[i][j]);
            a[i] = Number.isFinite(v) ? v : -Infinity;
          }
          num[c] = a;
        } else if (c === 'dpd_bucket') {
          const a = new Float64Array(n);
          for (let i = 0; i < n; i++) a[i] = DPD_BUCKETS.indexOf(String(rows[i][j]));
          num[c] = a;
        }
      });
      D.loans = { cols, rows, n, k, num, limit: (l.limit === null || l.limit === undefined) ? null : Number(l.limit) };
      seeKeys(k);
    }

    D.maxKey = maxKey;
    return D;
  }

  /*
   * The month x half-bin table as running sums: rows ordered by (month, key),
   * start[m] .. start[m+1] the rows of month m, and cum[j * n + r] = the sum
   * of column j over that month's rows up to and including row r (column by
   * column: the filling pass writes memory in order).  The sum
   * over a key interval [lo, hi] of month m is then one difference found by
   * two binary searches, so a filter costs months x intervals, not rows.
   * (Integers below 2^53 stay exact through the sums and the difference.)
   */
  function prepareMb(mb, months) {
    const n0 = colLen(mb, 'm');
    const M0 = Array.isArray(mb.m) ? mb.m : [];
    const K0 = Array.isArray(mb.k) ? mb.k : [];
    /* the rows in (month, key) order: a stable counting sort by month (the
     * program writes them by key, then month), then any month whose keys
     * are still out of order sorted on its own */
    const start = new Int32Array(months + 1);
    let sorted = true;
    let n = 0;
    for (let i = 0, pm = -1, pk = -1; i < n0; i++) {
      const mi = M0[i];
      const ki = K0[i];
      if (!(mi >= 0 && mi < months && ki >= 0)) { sorted = false; continue; }
      if (mi < pm || (mi === pm && ki < pk)) sorted = false;
      pm = mi;
      pk = ki;
      start[mi + 1]++;
      n++;
    }
    for (let i = 0; i < months; i++) start[i + 1] += start[i];
    let order = null;
    if (!sorted) {
      order = new Int32Array(n);
      const fill = start.slice(0, months);
      for (let i = 0; i < n0; i++) {
        const mi = M0[i];
        if (mi >= 0 && mi < months && K0[i] >= 0) order[fill[mi]++] = i;
      }
      for (let mi = 0; mi < months; mi++) {
        const a = start[mi];
        const b = start[mi + 1];
        for (let r = a + 1; r < b; r++) {
          if (K0[order[r]] < K0[order[r - 1]]) {
            const seg = Array.from(order.subarray(a, b)).sort((x, y) => (K0[x] - K0[y]) || x - y);
            order.set(seg, a);
            break;
          }
        }
      }
    }
    const m = new Int32Array(n);
    const k = new Int32Array(n);
    for (let r = 0; r < n; r++) {
      const i = sorted ? r : order[r];
      m[r] = M0[i];
      k[r] = K0[i];
    }
    const cum = new Float64Array(n * NC);
    for (let j = 0; j < NC; j++) {
      const col = mb[MB_COLS[j]];
      if (!Array.isArray(col)) continue;
      const base = j * n;
      const unit = MB_ROUBLES[MB_COLS[j]] ? 100 : 1;
      for (let mi = 0; mi < months; mi++) {
        let run = 0;
        for (let r = start[mi], e = start[mi + 1]; r < e; r++) {
          const v = sorted ? col[r] : col[order[r]];
          run += (typeof v === 'number' ? v : (Number(v) || 0)) * unit;
          cum[base + r] = run;
        }
      }
    }
    order = null;
    return { n, m, k, start, cum };
  }

  /* The masked keys as intervals [lo, hi] (a filter gives a few). */
  function maskIntervals(mask) {
    const out = [];
    for (let x = 0; x < mask.length; x++) {
      if (mask[x] !== 1) continue;
      let y = x;
      while (y + 1 < mask.length && mask[y + 1] === 1) y++;
      out.push([x, y === mask.length - 1 ? 0x7fffffff : y]);
      x = y;
    }
    return out;
  }

  /* The first row in [a, b) of the sorted keys k with k[r] >= key. */
  function lowerBound(k, key, a, b) {
    while (a < b) {
      const mid = (a + b) >>> 1;
      if (k[mid] < key) a = mid + 1;
      else b = mid;
    }
    return a;
  }

  /* ================================================================ filter */

  /* Roubles text -> kopecks (a Number), null when empty, NaN when not a number.
   * Accepts "75000", "75 000", "75000,50", "75000.5". */
  function parseRoubles(text) {
    const s = String(text || '').replace(/[\s\u00a0\u202f_']/g, '').replace(',', '.');
    if (s === '') return null;
    const mm = /^(\d{1,13})(?:\.(\d{0,2}))?$/.exec(s);
    if (!mm) return NaN;
    return Number(mm[1]) * 100 + Number((mm[2] || '').padEnd(2, '0'));
  }

  /* The filter as key bounds: buckets (a set of 0..3, empty = all) and
   * [loKey, hiKey] from min/max snapped to the 1 000-rouble grid. */
  function resolveFilter() {
    const lo = parseRoubles(state.minText);
    const hi = parseRoubles(state.maxText);
    const f = {
      buckets: BUCKETS.map((b, i) => (state.buckets.has(b) ? i : -1)).filter((i) => i >= 0),
      loRub: null, hiRub: null, loKey: 0, hiKey: Infinity,
      snapped: false, badMin: Number.isNaN(lo), badMax: Number.isNaN(hi)
    };
    if (lo !== null && !Number.isNaN(lo)) {
      f.loRub = Math.ceil(lo / 100000) * 1000;       /* min up to the grid */
      f.loKey = 2 * (f.loRub / 1000);
      if (lo % 100000 !== 0) f.snapped = true;
    }
    if (hi !== null && !Number.isNaN(hi)) {
      f.hiRub = Math.floor(hi / 100000) * 1000;      /* max down to the grid */
      f.hiKey = 2 * (f.hiRub / 1000);
      if (hi % 100000 !== 0) f.snapped = true;
    }
    return f;
  }

  /* One byte per half-bin key: 1 when the key's loans are in the filter. */
  function buildMask(f) {
    const size = DATA.maxKey + 2;
    const mask = new Uint8Array(size);
    const inB = [false, false, false, false];
    if (f.buckets.length === 0) inB.fill(true);
    else f.buckets.forEach((b) => { inB[b] = true; });
    for (let k = 0; k < size; k++) {
      mask[k] = (inB[bucketOfKey(k)] && k >= f.loKey && k <= f.hiKey) ? 1 : 0;
    }
    return mask;
  }

  /* The range [loRub, hiRub] in words. */
  function rangeText(f) {
    if (f.loRub !== null && f.hiRub !== null) return fmtRoubles(f.loRub) + ' – ' + fmtRoubles(f.hiRub);
    if (f.loRub !== null) return t('range_from', fmtRoubles(f.loRub));
    if (f.hiRub !== null) return t('range_to', fmtRoubles(f.hiRub));
    return '';
  }

  /* ================================================================ aggregation */

  /* Sum every table over the masked keys (one pass per table). */
  function aggregate(mask) {
    const months = DATA.months;
    const A = { months };

    /* month x measure: per month and key interval, a difference of running sums */
    {
      const { n, k, start, cum } = DATA.mb;
      const out = new Float64Array(Math.max(months, 1) * NC);
      const iv = maskIntervals(mask);
      for (let mi = 0; mi < months; mi++) {
        const a = start[mi];
        const b = start[mi + 1];
        if (a === b) continue;
        const o = mi * NC;
        for (const [lo, hi] of iv) {
          const p = lowerBound(k, lo, a, b);
          const q = hi === 0x7fffffff ? b : lowerBound(k, hi + 1, p, b);
          if (q === p) continue;
          if (p === a) for (let j = 0, c = q - 1; j < NC; j++, c += n) out[o + j] += cum[c];
          else for (let j = 0, c = q - 1; j < NC; j++, c += n) out[o + j] += cum[c] - cum[c - (q - p)];
        }
      }
      A.mb = out;
    }

    /* the tiles' money: slot 0 = months-2, 1 = months-1 */
    {
      const { n, m, k, cols } = DATA.last;
      const out = new Float64Array(2 * NL);
      for (let i = 0; i < n; i++) {
        if (mask[k[i]] !== 1) continue;
        const slot = m[i] - (months - 2);
        if (slot !== 0 && slot !== 1) continue;
        for (let j = 0; j < NL; j++) out[slot * NL + j] += cols[j][i];
      }
      A.last = out;
    }

    /* roll matrix 5 x 6 */
    {
      const { n, k, f, t: to, cnt } = DATA.roll;
      const mat = new Float64Array(30);
      for (let i = 0; i < n; i++) {
        if (mask[k[i]] !== 1) continue;
        if (f[i] < 0 || f[i] > 4 || to[i] < 0 || to[i] > 5) continue;
        mat[f[i] * 6 + to[i]] += cnt[i];
      }
      A.roll = mat;
    }

    /* vintages: loans by (vintage, first-30 mob + 1) */
    {
      const W = months + 1;
      const grid = new Float64Array(Math.max(months, 1) * W);
      const { n, v, k, f, cnt } = DATA.vint;
      for (let i = 0; i < n; i++) {
        if (mask[k[i]] !== 1) continue;
        const vi = v[i];
        if (vi < 0 || vi >= months) continue;
        let fi = f[i];
        if (fi >= months) fi = months - 1;
        grid[vi * W + (fi < 0 ? 0 : fi + 1)] += cnt[i];
      }
      A.vint = grid;
    }

    /* attributes */
    A.attrs = DATA.attrs.map((tab) => {
      const nv = tab.values.length;
      const act = new Float64Array(nv);
      const ovd = new Float64Array(nv);
      const { n, x, k, a, o } = tab;
      for (let i = 0; i < n; i++) {
        if (mask[k[i]] !== 1) continue;
        const xi = x[i];
        if (xi < 0 || xi >= nv) continue;
        act[xi] += a[i];
        ovd[xi] += o[i];
      }
      return { act, ovd };
    });

    /* overdue loans in the filter, in the data's order */
    {
      const { n, k } = DATA.loans;
      const idx = [];
      for (let i = 0; i < n; i++) if (mask[k[i]] === 1) idx.push(i);
      A.loans = idx;
    }
    return A;
  }

  /* Exact money of month i (the last two months only) from the current aggregates. */
  function lv(i, col) {
    const slot = i - (DATA.months - 2);
    return slot === 0 || slot === 1 ? AGG.last[slot * NL + LC[col]] : NaN;
  }

  /* A measure of month i from the current aggregates. */
  function mv(i, col) {
    return AGG.mb[i * NC + C[col]];
  }

  /* ================================================================ DOM helpers */

  /* The SVG namespace, from the inline <svg> probe of dashboard.html (so no
   * URL is written anywhere); the probe then leaves the page, so every <svg>
   * left is a chart with role="img" and a <title>. */
  const SVGNS = (() => {
    const probe = document.getElementById('svg-ns');
    const ns = probe.namespaceURI;
    probe.remove();
    return ns;
  })();

  /* An HTML element with attributes and children (strings become text nodes). */
  function h(tag, attrs, children) {
    const e = document.createElement(tag);
    if (attrs) for (const key of Object.keys(attrs)) {
      const v = attrs[key];
      if (v === null || v === undefined || v === false) continue;
      if (key === 'text') e.textContent = String(v);
      else if (key === 'class') e.className = v;
      else e.setAttribute(key, v === true ? '' : String(v));
    }
    if (children) for (const c of children) {
      if (c === null || c === undefined) continue;
      e.appendChild(typeof c === 'string' ? document.createTextNode(c) : c);
    }
    return e;
  }

  /* An SVG element with attributes, appended to parent. */
  function s(tag, attrs, parent) {
    const e = document.createElementNS(SVGNS, tag);
    if (attrs) for (const key of Object.keys(attrs)) {
      if (key === 'text') e.textContent = String(attrs[key]);
      else e.setAttribute(key, String(attrs[key]));
    }
    if (parent) parent.appendChild(e);
    return e;
  }

  let uid = 0;
  /* A new chart <svg> with role="img", a <title> and a <desc>. */
  function newSvg(W, H, title, desc) {
    const id = 'svg-t' + (++uid);
    const svg = s('svg', {
      viewBox: '0 0 ' + W + ' ' + H, width: W, height: H, role: 'img',
      'aria-labelledby': id + ' ' + id + 'd', class: 'chart-svg', preserveAspectRatio: 'xMinYMin meet'
    });
    s('title', { id, text: title }, svg);
    s('desc', { id: id + 'd', text: t('chart_desc', title) }, svg);
    return svg;
  }

  /* Round a value up to a "nice" axis maximum; returns {max, step}. */
  function niceScale(max, count) {
    if (!(max > 0)) max = 1;
    const raw = max / count;
    const mag = Math.pow(10, Math.floor(Math.log10(raw)));
    const norm = raw / mag;
    const step = (norm <= 1 ? 1 : norm <= 2 ? 2 : norm <= 2.5 ? 2.5 : norm <= 5 ? 5 : 10) * mag;
    return { max: Math.ceil(max / step - 1e-9) * step, step };
  }

  /* Digits needed to print percentages of a step (a fraction). */
  function pctDigits(step) {
    const p = step * 100;
    for (let d = 0; d < 4; d++) if (Math.abs(p * Math.pow(10, d) - Math.round(p * Math.pow(10, d))) < 1e-6) return d;
    return 3;
  }

  /* The legend above a chart. items: [{label, color, line, dash}] */
  function setLegend(card, items) {
    const lg = $('.legend', card);
    lg.replaceChildren(...items.map((it) => {
      const sw = h('span', { class: 'sw' + (it.line ? ' line' : '') + (it.dash ? ' dash' : '') });
      if (it.line) sw.style.borderTopColor = it.color;
      else sw.style.background = it.color;
      return h('span', null, [sw, it.label]);
    }));
  }

  /* ---- tooltip ---- */
  const TIP = document.getElementById('tip');
  /* lines: [string | {text, color}]; the first line is the heading. */
  function showTip(lines, x, y) {
    TIP.replaceChildren(...lines.map((ln, i) => {
      const d = h('div', i === 0 ? { class: 't-h' } : null);
      if (typeof ln === 'object') {
        const sw = h('span', { class: 'sw' });
        sw.style.background = ln.color;
        d.append(sw, ln.text);
      } else d.textContent = ln;
      return d;
    }));
    TIP.hidden = false;
    const w = TIP.offsetWidth;
    const hgt = TIP.offsetHeight;
    let left = x + 14;
    let top = y + 14;
    if (left + w > window.innerWidth - 6) left = Math.max(6, x - w - 14);
    if (top + hgt > window.innerHeight - 6) top = Math.max(6, y - hgt - 14);
    TIP.style.left = left + 'px';
    TIP.style.top = top + 'px';
  }
  function hideTip() { TIP.hidden = true; }

  /* ---- data tables behind the charts (built when the <details> opens) ---- */

  /* build(): {head: [..], rows: [[..]], num: [bool per column]} */
  function setDataTable(card, build) {
    const det = $('details.dt', card);
    if (!det) return;
    det._build = build;
    if (!det._hooked) {
      det._hooked = true;
      det.addEventListener('toggle', () => { if (det.open) fillDataTable(det); });
    }
    if (det.open) fillDataTable(det);
  }
  function fillDataTable(det) {
    const spec = det._build();
    const body = $('.dt-body', det);
    const thead = h('thead', null, [h('tr', null, spec.head.map((c, j) =>
      h('th', { scope: 'col', class: spec.num[j] ? 'num' : null, text: c })))]);
    const tbody = h('tbody');
    for (const row of spec.rows) {
      tbody.appendChild(h('tr', null, row.map((c, j) =>
        h(j === 0 ? 'th' : 'td', { scope: j === 0 ? 'row' : null, class: spec.num[j] ? 'num' : null, text: c }))));
    }
    body.replaceChildren(h('table', null, [h('caption', { class: 'vh', text: spec.caption || '' }), thead, tbody]));
  }

  /* ================================================================ charts */

  /* The months shown in charts: [i0, i1] from the period controls. */
  function period() {
    const last = DATA.months - 1;
    let i0 = state.from ? monthIndex(state.from) : 0;
    let i1 = state.to ? monthIndex(state.to) : last;
    if (!(i0 >= 0 && i0 <= last)) i0 = 0;
    if (!(i1 >= 0 && i1 <= last)) i1 = last;
    if (i0 > i1) { const x = i0; i0 = i1; i1 = x; }
    return { i0, i1 };
  }

  /* Which month indexes get an x label: thinned to about one per 52 px,
   * on calendar boundaries (every 1, 2, 3, 6 months or 1, 2, 5, 10 years). */
  function monthTicks(i0, i1, bw) {
    const steps = [1, 2, 3, 6, 12, 24, 60, 120];
    let step = steps[steps.length - 1];
    for (const st of steps) {
      if (st * bw >= (st >= 12 ? 40 : 58)) { step = st; break; }
    }
    const out = [];
    for (let i = i0; i <= i1; i++) {
      const { y, m } = monthOf(i);
      if (step < 12 ? (m % step === 0) : (m === 0 && y % (step / 12) === 0)) {
        out.push({ i, text: step < 12 ? monthShort(i) : String(y) });
      }
    }
    /* few months: always label the first one */
    if (out.length === 0 || (out[0].i - i0) * bw > 70) {
      out.unshift({ i: i0, text: step < 12 ? monthShort(i0) : String(monthOf(i0).y) });
    }
    return out;
  }

  /*
   * A chart over bands (months, or months on book): bars, stacked bars or
   * lines, with a y grid, thinned x labels and a hover/keyboard tooltip.
   * o = {title, width, height, n, first, kind: 'bar'|'stack'|'line',
   *      series: [{label, color, dash, get(i) -> number or NaN}],
   *      percent, fmtY(v), xTicks(bw) -> [{i, text}], xTitle, tip(i) -> lines}
   */
  function bandChart(box, o) {
    const W = Math.max(300, Math.round(o.width));
    const H = o.height;
    const M = { l: 58, r: 14, t: 10, b: o.xTitle ? 40 : 26 };
    const pw = W - M.l - M.r;
    const ph = H - M.t - M.b;
    const n = o.n;
    const bw = pw / Math.max(n, 1);
    const svg = newSvg(W, H, o.title);

    /* values and the y range */
    const vals = o.series.map((se) => {
      const a = new Float64Array(n);
      for (let i = 0; i < n; i++) a[i] = se.get(o.first + i);
      return a;
    });
    let ymax = 0;
    for (let i = 0; i < n; i++) {
      if (o.kind === 'stack') {
        let sum = 0;
        for (const a of vals) if (Number.isFinite(a[i])) sum += a[i];
        ymax = Math.max(ymax, sum);
      } else for (const a of vals) if (Number.isFinite(a[i])) ymax = Math.max(ymax, a[i]);
    }
    const sc = niceScale(o.percent ? Math.max(ymax, 0.001) : Math.max(ymax, 1), 5);
    const y = (v) => M.t + ph - (v / sc.max) * ph;
    const digits = pctDigits(sc.step);
    const fmtY = o.percent ? (v) => fmtPct(v, digits) : o.fmtY;

    /* grid and y labels */
    for (let v = 0; v <= sc.max + sc.step / 2; v += sc.step) {
      const yy = Math.round(y(v)) + 0.5;
      s('line', { x1: M.l, x2: W - M.r, y1: yy, y2: yy, class: v === 0 ? 'base' : 'gl' }, svg);
      s('text', { x: M.l - 6, y: yy + 4, 'text-anchor': 'end', class: 'ax', text: fmtY(v) }, svg);
    }

    /* the series: one <path> each */
    const gap = bw > 6 ? Math.min(bw * 0.18, 6) : (bw > 2.5 ? 1 : 0);
    if (o.kind === 'bar' || o.kind === 'stack') {
      const base = new Float64Array(n);
      vals.forEach((a, si) => {
        let d = '';
        for (let i = 0; i < n; i++) {
          const v = a[i];
          if (!(v > 0)) continue;
          const y0 = y(base[i]);
          const y1 = y(base[i] + v);
          const x0 = M.l + i * bw + gap / 2;
          d += 'M' + x0.toFixed(2) + ' ' + y0.toFixed(2) + 'V' + y1.toFixed(2) + 'h' + (bw - gap).toFixed(2) + 'V' + y0.toFixed(2) + 'Z';
          if (o.kind === 'stack') base[i] += v;
        }
        if (d) s('path', { d, fill: o.series[si].color }, svg);
      });
    } else {
      vals.forEach((a, si) => {
        const se = o.series[si];
        let d = '';
        let pen = false;
        let pts = 0;
        for (let i = 0; i < n; i++) {
          const v = a[i];
          if (!Number.isFinite(v)) { pen = false; continue; }
          const xx = M.l + (i + 0.5) * bw;
          d += (pen ? 'L' : 'M') + xx.toFixed(2) + ' ' + y(v).toFixed(2);
          pen = true;
          pts++;
        }
        if (!d) return;
        const attrs = { d, fill: 'none', stroke: se.color, 'stroke-width': se.width || 2.2, 'stroke-linejoin': 'round', 'stroke-linecap': 'round' };
        if (se.dash) attrs['stroke-dasharray'] = se.dash;
        s('path', attrs, svg);
        /* dots when there are few points (and for lone points) */
        if (n <= 40 || pts < 3) {
          for (let i = 0; i < n; i++) {
            if (!Number.isFinite(a[i])) continue;
            s('circle', { cx: (M.l + (i + 0.5) * bw).toFixed(2), cy: y(a[i]).toFixed(2), r: 2.6, fill: se.color }, svg);
          }
        }
      });
    }

    /* x labels */
    for (const tk of o.xTicks(bw)) {
      const xx = M.l + (tk.i - o.first + 0.5) * bw;
      s('line', { x1: xx, x2: xx, y1: M.t + ph, y2: M.t + ph + 4, class: 'base' }, svg);
      s('text', { x: xx, y: M.t + ph + 16, 'text-anchor': 'middle', class: 'ax', text: tk.text }, svg);
    }
    if (o.xTitle) s('text', { x: M.l + pw / 2, y: H - 4, 'text-anchor': 'middle', class: 'ax-title', text: o.xTitle }, svg);
    if (n === 0 || ymax === 0 && o.emptyText) {
      s('text', { x: M.l + pw / 2, y: M.t + ph / 2, 'text-anchor': 'middle', class: 'empty', text: o.emptyText || t('no_rows') }, svg);
    }

    /* hover / keyboard: highlight a band and show its tooltip */
    const hl = s('rect', { x: M.l, y: M.t, width: Math.max(bw, 1), height: ph, class: 'hl', visibility: 'hidden' }, svg);
    svg.setAttribute('tabindex', '0');
    let cur = -1;
    const show = (i, cx, cy) => {
      cur = i;
      hl.setAttribute('x', (M.l + i * bw).toFixed(2));
      hl.setAttribute('visibility', 'visible');
      showTip(o.tip(o.first + i), cx, cy);
    };
    const hide = () => { cur = -1; hl.setAttribute('visibility', 'hidden'); hideTip(); };
    svg.addEventListener('pointermove', (ev) => {
      const r = svg.getBoundingClientRect();
      const xx = (ev.clientX - r.left) * W / r.width;
      const i = Math.floor((xx - M.l) / bw);
      if (i < 0 || i >= n) { hide(); return; }
      show(i, ev.clientX, ev.clientY);
    });
    svg.addEventListener('pointerleave', hide);
    svg.addEventListener('blur', hide);
    svg.addEventListener('keydown', (ev) => {
      let i = cur;
      if (ev.key === 'ArrowRight') i = Math.min(n - 1, cur < 0 ? n - 1 : cur + 1);
      else if (ev.key === 'ArrowLeft') i = Math.max(0, cur < 0 ? n - 1 : cur - 1);
      else if (ev.key === 'Home') i = 0;
      else if (ev.key === 'End') i = n - 1;
      else if (ev.key === 'Escape') { hide(); return; }
      else return;
      ev.preventDefault();
      if (n === 0) return;
      const r = svg.getBoundingClientRect();
      show(i, r.left + (M.l + (i + 0.5) * bw) * r.width / W, r.top + M.t * r.height / H + 10);
    });
    box.replaceChildren(svg);
  }

  /* A share num/den for charts (NaN when den is 0). */
  const ratio = (num, den) => (den > 0 ? num / den : NaN);

  /* ---- the headline: overdue share (or the seed's late share) by month ---- */
  function renderShare(width) {
    const card = $('#c-share');
    const { i0, i1 } = period();
    const late = state.measure === 'late';
    const color = late ? COL.verm : COL.blue;
    const label = late ? t('s_late') : t('s_share');
    $('#c-share-note').textContent = late ? t('late_note') : t('share_note');
    setLegend(card, [{ label, color }]);
    bandChart($('.chart', card), {
      title: t('share_h') + ' — ' + label, width, height: 300,
      n: i1 - i0 + 1, first: i0, kind: 'bar', percent: true,
      series: [{ label, color, get: (i) => (late ? ratio(mv(i, 'fll'), mv(i, 'fl')) : ratio(mv(i, 'o'), mv(i, 'a'))) }],
      xTicks: (bw) => monthTicks(i0, i1, bw),
      tip: (i) => {
        const a = mv(i, 'a'); const o = mv(i, 'o'); const fl = mv(i, 'fl'); const fll = mv(i, 'fll');
        return [monthLong(i),
          { text: t('s_share') + ': ' + fmtPct(ratio(o, a), 2), color: COL.blue },
          t('tip_share', fmtInt(o), fmtInt(a)),
          { text: t('s_late') + ': ' + fmtPct(ratio(fll, fl), 2), color: COL.verm },
          t('tip_late', fmtInt(fll), fmtInt(fl))];
      }
    });
    setDataTable(card, () => ({
      caption: t('share_h'),
      head: [t('month'), t('active'), t('overdue'), t('s_share'), t('s_late')],
      num: [false, true, true, true, true],
      rows: rangeRows(i0, i1, (i) => [monthLong(i), fmtInt(mv(i, 'a')), fmtInt(mv(i, 'o')),
        fmtPct(ratio(mv(i, 'o'), mv(i, 'a')), 2),
        fmtPct(ratio(mv(i, 'fll'), mv(i, 'fl')), 2) + ' (' + fmtInt(mv(i, 'fll')) + ' / ' + fmtInt(mv(i, 'fl')) + ')'])
    }));
  }

  /* rows for the months i0..i1 */
  function rangeRows(i0, i1, fn) {
    const out = [];
    for (let i = i0; i <= i1; i++) out.push(fn(i));
    return out;
  }

  /* ---- overdue loans by DPD bucket (stacked) ---- */
  function renderBuckets(width) {
    const card = $('#c-buckets');
    const { i0, i1 } = period();
    const names = ['d1', 'd2', 'd3', 'd4'];
    const series = names.map((c, j) => ({ label: t('dpd' + (j + 1)), color: DPD_COLORS[j], get: (i) => mv(i, c) }));
    setLegend(card, series);
    bandChart($('.chart', card), {
      title: t('buckets_h'), width, height: 260, n: i1 - i0 + 1, first: i0, kind: 'stack',
      series, fmtY: fmtIntShort,
      xTicks: (bw) => monthTicks(i0, i1, bw),
      tip: (i) => [monthLong(i)].concat(series.slice().reverse().map((se, j) =>
        ({ text: se.label + ': ' + fmtInt(mv(i, names[3 - j])), color: se.color })))
        .concat([t('tip_total', fmtInt(mv(i, 'o')))])
    });
    setDataTable(card, () => ({
      caption: t('buckets_h'),
      head: [t('month')].concat(series.map((se) => se.label), [t('overdue')]),
      num: [false, true, true, true, true, true],
      rows: rangeRows(i0, i1, (i) => [monthLong(i)].concat(names.map((c) => fmtInt(mv(i, c))), [fmtInt(mv(i, 'o'))]))
    }));
  }

  /* ---- PAR30 / PAR90 lines ---- */
  function renderPar(width) {
    const card = $('#c-par');
    const { i0, i1 } = period();
    const series = [
      { label: t('par30'), color: COL.orange, line: true, get: (i) => ratio(mv(i, 'p30'), mv(i, 'out')) },
      { label: t('par90'), color: COL.verm, line: true, dash: '6 4', get: (i) => ratio(mv(i, 'p90'), mv(i, 'out')) }
    ];
    setLegend(card, series);
    bandChart($('.chart', card), {
      title: t('par_h'), width, height: 260, n: i1 - i0 + 1, first: i0, kind: 'line', percent: true,
      series, xTicks: (bw) => monthTicks(i0, i1, bw),
      tip: (i) => [monthLong(i),
        { text: t('tip_par', 'PAR30', fmtPct(ratio(mv(i, 'p30'), mv(i, 'out')), 2), fmtMoneyShort(mv(i, 'out'))), color: COL.orange },
        { text: t('tip_par', 'PAR90', fmtPct(ratio(mv(i, 'p90'), mv(i, 'out')), 2), fmtMoneyShort(mv(i, 'out'))), color: COL.verm }]
    });
    setDataTable(card, () => ({
      caption: t('par_h'),
      head: [t('month'), t('k_outstanding'), 'PAR30', 'PAR90'],
      num: [false, true, true, true],
      rows: rangeRows(i0, i1, (i) => [monthLong(i), fmtMoney0(mv(i, 'out')),
        fmtPct(ratio(mv(i, 'p30'), mv(i, 'out')), 2), fmtPct(ratio(mv(i, 'p90'), mv(i, 'out')), 2)])
    }));
  }

  /* ---- cure rate ---- */
  function renderCure(width) {
    const card = $('#c-cure');
    const { i0, i1 } = period();
    const series = [{ label: t('cure'), color: COL.green, line: true, get: (i) => (i === 0 ? NaN : ratio(mv(i, 'cu'), mv(i, 'po'))) }];
    setLegend(card, series);
    bandChart($('.chart', card), {
      title: t('cure_h'), width, height: 260, n: i1 - i0 + 1, first: i0, kind: 'line', percent: true,
      series, xTicks: (bw) => monthTicks(i0, i1, bw),
      tip: (i) => [monthLong(i),
        { text: t('cure') + ': ' + fmtPct(i === 0 ? NaN : ratio(mv(i, 'cu'), mv(i, 'po')), 2), color: COL.green },
        t('tip_cure', fmtInt(mv(i, 'cu')), fmtInt(mv(i, 'po')))]
    });
    setDataTable(card, () => ({
      caption: t('cure_h'),
      head: [t('month'), t('cure'), t('tip_cured_of')],
      num: [false, true, true],
      rows: rangeRows(i0, i1, (i) => [monthLong(i), fmtPct(i === 0 ? NaN : ratio(mv(i, 'cu'), mv(i, 'po')), 2),
        fmtInt(mv(i, 'cu')) + ' / ' + fmtInt(mv(i, 'po'))])
    }));
  }

  /* A viridis-like colour for position x in [0, 1] (colour-blind-safe, sequential). */
  function seqColor(x) {
    const stops = [[68, 1, 84], [65, 68, 135], [42, 120, 142], [34, 168, 132], [122, 209, 81], [220, 200, 30]];
    const p = Math.min(Math.max(x, 0), 1) * (stops.length - 1);
    const i = Math.min(Math.floor(p), stops.length - 2);
    const f = p - i;
    const c = stops[i].map((v, j) => Math.round(v + (stops[i + 1][j] - v) * f));
    return 'rgb(' + c.join(',') + ')';
  }

  /* Vintage curves by start year: at month-on-book m a year's share is
   * Σ ever30 ÷ Σ loans over its vintages v with v + m <= the last month. */
  function vintageCurves() {
    const months = DATA.months;
    const last = months - 1;
    const W = months + 1;
    const grid = AGG.vint;
    /* per vintage: loans, and ever30 at m as a running sum over f */
    const tot = new Float64Array(months);
    const ever = new Float64Array(months * months);
    for (let v = 0; v < months; v++) {
      let all = 0;
      for (let j = 0; j < W; j++) all += grid[v * W + j];
      tot[v] = all;
      let run = 0;
      for (let m = 0; v + m <= last; m++) {
        run += grid[v * W + m + 1];
        ever[v * months + m] = run;
      }
    }
    const years = [];
    for (let v = 0; v < months; v++) {
      const y = monthOf(v).y;
      if (!years.length || years[years.length - 1].year !== y) years.push({ year: y, vs: [] });
      years[years.length - 1].vs.push(v);
    }
    for (const yr of years) {
      const maxMob = last - yr.vs[0];
      yr.num = new Float64Array(maxMob + 1);
      yr.den = new Float64Array(maxMob + 1);
      for (let m = 0; m <= maxMob; m++) {
        for (const v of yr.vs) {
          if (v + m > last) break;
          yr.num[m] += ever[v * months + m];
          yr.den[m] += tot[v];
        }
      }
      yr.loans = 0;
      for (const v of yr.vs) yr.loans += tot[v];
    }
    return years.filter((yr) => yr.loans > 0);
  }

  function renderVintage(width) {
    const card = $('#c-vintage');
    const years = vintageCurves();
    const n = DATA.months;
    const series = years.map((yr, j) => ({
      label: String(yr.year),
      color: seqColor(years.length > 1 ? j / (years.length - 1) : 0.5),
      line: true, width: 1.8,
      get: (m) => (m < yr.num.length ? ratio(yr.num[m], yr.den[m]) : NaN)
    }));
    setLegend(card, series);
    bandChart($('.chart', card), {
      title: t('vint_h'), width, height: 260, n, first: 0, kind: 'line', percent: true,
      series, xTitle: t('x_mob'), emptyText: t('no_rows'),
      xTicks: (bw) => {
        const steps = [1, 3, 6, 12, 24, 36, 60];
        let st = 60;
        for (const x of steps) if (x * bw >= 30) { st = x; break; }
        const out = [];
        for (let m = 0; m < n; m += st) out.push({ i: m, text: String(m) });
        return out;
      },
      tip: (m) => [t('tip_mob', m)].concat(years.filter((yr) => m < yr.num.length && yr.den[m] > 0).map((yr) => ({
        text: t('tip_vint', yr.year, fmtPct(ratio(yr.num[m], yr.den[m]), 2), fmtInt(yr.num[m]), fmtInt(yr.den[m])),
        color: series[years.indexOf(yr)].color
      })))
    });
    setDataTable(card, () => {
      const rows = [];
      for (const yr of years) {
        for (let m = 0; m < yr.num.length; m++) {
          if (!(yr.den[m] > 0)) continue;
          rows.push([String(yr.year), String(m), fmtInt(yr.den[m]), fmtInt(yr.num[m]), fmtPct(ratio(yr.num[m], yr.den[m]), 2)]);
        }
      }
      return {
        caption: t('vint_h'),
        head: [t('year'), t('mob'), t('roll_loans'), 'ever30', t('share')],
        num: [false, true, true, true, true],
        rows
      };
    });
  }

  /* ---- the roll matrix of the last month (an HTML heat table) ---- */
  function renderRoll() {
    const card = $('#c-roll');
    const months = DATA.months;
    const wrap = $('.roll-wrap', card);
    if (months < 2) {
      $('#c-roll-h').textContent = t('roll_h', '…', '…');
      $('#c-roll-note').textContent = t('roll_none');
      wrap.replaceChildren();
      return;
    }
    const a = monthLong(months - 2);
    const b = monthLong(months - 1);
    $('#c-roll-h').textContent = t('roll_h', a, b);
    $('#c-roll-note').textContent = t('roll_note', monthGen(months - 2), monthGen(months - 1));
    const names = [t('b0')].concat(['1-30', '31-60', '61-90', '91+'].map((x, j) => t('dpd' + (j + 1))));
    const heads = [t('roll_from'), t('roll_loans')].concat(names, [t('closed'), t('roll_rate')]);
    const thead = h('thead', null, [h('tr', null, heads.map((x, j) => h('th', { scope: 'col', class: j ? 'num' : null, text: x })))]);
    const tbody = h('tbody');
    const mat = AGG.roll;
    for (let f = 0; f < 5; f++) {
      let tot = 0;
      let worse = 0;
      for (let to = 0; to < 6; to++) {
        tot += mat[f * 6 + to];
        if (to > f && to < 5) worse += mat[f * 6 + to];
      }
      const cells = [h('th', { scope: 'row', text: names[f] }), h('td', { class: 'num', text: fmtInt(tot) })];
      for (let to = 0; to < 6; to++) {
        const v = mat[f * 6 + to];
        const share = tot > 0 ? v / tot : 0;
        const td = h('td', { class: 'num heat' }, [fmtInt(v), h('span', { class: 'pct', text: tot > 0 ? fmtPct(share, 1) : '' })]);
        /* blue intensity by the row share; white text on dark cells */
        const alpha = 0.08 + 0.85 * share;
        td.style.background = tot > 0 ? 'rgba(0, 114, 178, ' + alpha.toFixed(3) + ')' : '';
        if (alpha > 0.55) td.style.color = '#fff';
        if (to === f) td.style.boxShadow = 'inset 0 0 0 2px #30363d';
        cells.push(td);
      }
      cells.push(h('td', { class: 'num rr', text: f < 4 ? fmtPct(ratio(worse, tot), 1) : '—' }));
      tbody.appendChild(h('tr', null, cells));
    }
    wrap.replaceChildren(h('table', { class: 'roll' }, [h('caption', { class: 'vh', text: t('roll_h', a, b) }), thead, tbody]));
  }

  /* One card per attribute, made once (before the widths are measured). */
  function ensureAttrCards() {
    const host = $('#attrs');
    if (host.children.length === DATA.attrs.length) return;
    host.replaceChildren(...DATA.attrs.map((tab) => h('section', { class: 'card', 'data-attr': tab.name }, [
      h('h3', { class: 'attr-title' }),
      h('div', { class: 'chart' }),
      h('details', { class: 'dt' }, [h('summary', { 'data-i18n': 'table', text: t('table') }), h('div', { class: 'dt-body' })])
    ])));
  }

  /* ---- overdue share by client attribute (horizontal bars) ---- */
  function renderAttrs(width) {
    const host = $('#attrs');
    const last = DATA.months - 1;
    const totalShare = ratio(mv(last, 'o'), mv(last, 'a'));
    $('#attr-note').textContent = t('attr_note', dateLong(DATA.asOf), fmtPct(totalShare, 1));
    DATA.attrs.forEach((tab, ti) => {
      const card = host.children[ti];
      const title = t('a_' + tab.name) === 'a_' + tab.name ? tab.name : t('a_' + tab.name);
      $('.attr-title', card).textContent = title;
      const { act, ovd } = AGG.attrs[ti];
      const rows = tab.order.filter((x) => act[x] > 0 || ovd[x] > 0);
      const W = Math.max(280, Math.round(width[ti] || 400));
      const rowH = 24;
      /* room for the longest label, at most 40 % of the width; narrow
       * charts (print, phones) show the share only, without the counts */
      const compact = W < 440;
      const valText = (x) => fmtPct(ratio(ovd[x], act[x]), 1) + (compact ? '' : ' · ' + fmtInt(ovd[x]) + '/' + fmtInt(act[x]));
      let labW = 20;
      let valW = 30;
      for (const x of rows) {
        labW = Math.max(labW, textWidth(showValue(tab.values[x]), 12));
        valW = Math.max(valW, textWidth(valText(x), 11.5));
      }
      valW = Math.ceil(valW) + 10;
      const M = { l: Math.min(Math.round(W * 0.4), Math.ceil(labW) + 14), r: 6, t: 6, b: 22 };
      const H = M.t + M.b + Math.max(rows.length, 1) * rowH;
      const svg = newSvg(W, H, t('attr_h') + ': ' + title);
      let max = Number.isFinite(totalShare) ? totalShare : 0;
      for (const x of rows) max = Math.max(max, ratio(ovd[x], act[x]) || 0);
      const pw = W - M.l - M.r - valW;
      const sc = niceScale(Math.max(max, 0.001), Math.max(1, Math.min(5, Math.floor(pw / 60))));
      const xs = (v) => M.l + (v / sc.max) * pw;
      /* grid */
      const digits = pctDigits(sc.step);
      for (let v = 0; v <= sc.max + sc.step / 2; v += sc.step) {
        const xx = Math.round(xs(v)) + 0.5;
        s('line', { x1: xx, x2: xx, y1: M.t, y2: H - M.b, class: v === 0 ? 'base' : 'gl' }, svg);
        s('text', { x: xx, y: H - M.b + 14, 'text-anchor': 'middle', class: 'ax', text: fmtPct(v, digits) }, svg);
      }
      /* the share over the whole filter, under the bars and their texts */
      if (Number.isFinite(totalShare) && rows.length) {
        const xx = xs(totalShare);
        s('line', { x1: xx, x2: xx, y1: M.t, y2: H - M.b, class: 'ref' }, svg);
      }
      rows.forEach((x, r) => {
        const yy = M.t + r * rowH;
        const share = ratio(ovd[x], act[x]);
        const g = s('g', null, svg);
        s('title', { text: showValue(tab.values[x]) + ': ' + t('attr_val', fmtPct(share, 2), fmtInt(ovd[x]), fmtInt(act[x])) }, g);
        const lbl = s('text', { x: M.l - 8, y: yy + rowH / 2 + 4, 'text-anchor': 'end', class: 'lbl' }, g);
        lbl.textContent = clip(showValue(tab.values[x]), M.l - 10, 12);
        if (share > 0) s('rect', { x: M.l, y: yy + 4, width: Math.max(1, xs(share) - M.l).toFixed(2), height: rowH - 8, fill: COL.blue, rx: 2 }, g);
        const val = s('text', { x: (Number.isFinite(share) ? xs(share) : M.l) + 5, y: yy + rowH / 2 + 4, class: 'val' }, g);
        val.textContent = valText(x);
      });
      if (!rows.length) s('text', { x: W / 2, y: M.t + rowH / 2 + 4, 'text-anchor': 'middle', class: 'empty', text: t('no_rows') }, svg);
      $('.chart', card).replaceChildren(svg);
      setDataTable(card, () => ({
        caption: title,
        head: [t('value'), t('active'), t('overdue'), t('share')],
        num: [false, true, true, true],
        rows: rows.map((x) => [showValue(tab.values[x]), fmtInt(act[x]), fmtInt(ovd[x]), fmtPct(ratio(ovd[x], act[x]), 2)])
      }));
    });
  }

  /* The width of a text in the page's font at px pixels (a canvas measures
   * it without a layout). */
  let MEASURE = null;
  function textWidth(text, px) {
    if (!MEASURE) {
      MEASURE = document.createElement('canvas').getContext('2d');
      MEASURE.family = getComputedStyle(document.body).fontFamily || 'sans-serif';
    }
    MEASURE.font = px + 'px ' + MEASURE.family;
    return MEASURE.measureText(text).width;
  }

  /* Shorten a label with an ellipsis to fit w pixels (the full text is in the <title>). */
  function clip(text, w, px) {
    if (textWidth(text, px) <= w) return text;
    let n = text.length;
    while (n > 1 && textWidth(text.slice(0, n) + '…', px) > w) n--;
    return text.slice(0, n) + '…';
  }

  /* ================================================================ KPI tiles */

  /* id, kind and the value of month i (num/den for shares) */
  const KPIS = [
    { id: 'active_loans', kind: 'count', v: (i) => mv(i, 'a') },
    { id: 'overdue_loans', kind: 'count', bad: true, v: (i) => mv(i, 'o') },
    { id: 'overdue_share', kind: 'share', bad: true, num: (i) => mv(i, 'o'), den: (i) => mv(i, 'a') },
    { id: 'par30_share', kind: 'share', bad: true, num: (i) => lv(i, 'p30'), den: (i) => lv(i, 'out') },
    { id: 'par90_share', kind: 'share', bad: true, num: (i) => lv(i, 'p90'), den: (i) => lv(i, 'out') },
    { id: 'outstanding', kind: 'money', v: (i) => lv(i, 'out') },
    { id: 'overdue_outstanding', kind: 'money', bad: true, v: (i) => lv(i, 'oout') },
    { id: 'arrears', kind: 'money', bad: true, v: (i) => lv(i, 'arr') },
    { id: 'issued_amount', kind: 'money', v: (i) => lv(i, 'ik') }
  ];

  function renderKpis() {
    const host = $('#kpis');
    const last = DATA.months - 1;
    $('#kpi-h').textContent = t('kpi_h', dateLong(DATA.asOf));
    if (host.children.length !== KPIS.length) {
      host.replaceChildren(...KPIS.map((k) => h('div', { class: 'kpi', 'data-kpi': k.id, 'data-value': '' }, [
        h('div', { class: 'k-label' }), h('div', { class: 'k-value' }), h('div', { class: 'k-exact' }),
        h('div', { class: 'k-delta' })
      ])));
    }
    KPIS.forEach((k, j) => {
      const tile = host.children[j];
      let raw;
      let big;
      let exact = '';
      let delta = '';
      let dir = 0;
      const has = last >= 0;
      const hasPrev = last >= 1;
      if (k.kind === 'share') {
        const num = has ? k.num(last) : 0;
        const den = has ? k.den(last) : 0;
        raw = rawShare(num, den);
        big = fmtPct(ratio(num, den), 1);
        exact = den > 0 ? (k.id === 'overdue_share' ? fmtInt(num) + ' / ' + fmtInt(den)
          : fmtMoneyShort(num) + ' / ' + fmtMoneyShort(den)) : '';
        if (hasPrev) {
          const a = ratio(k.num(last - 1), k.den(last - 1));
          const b = ratio(num, den);
          if (Number.isFinite(a) && Number.isFinite(b)) {
            const d = (b - a) * 100;
            dir = Math.abs(d) < 0.005 ? 0 : Math.sign(d);
            delta = (d > 0 ? '+' : '') + fmtDec(d, 2) + NBSP + t('pp');
          } else delta = '—';
        }
      } else {
        const v = has ? k.v(last) : 0;
        raw = k.kind === 'money' ? rawMoney(v) : String(Math.round(v));
        if (k.kind === 'money') {
          big = Math.abs(v) >= 1e8 ? fmtMoneyShort(v) : fmtMoney(v);
          exact = Math.abs(v) >= 1e8 ? fmtMoney(v) : '';
        } else big = fmtInt(v);
        if (hasPrev) {
          const p = k.v(last - 1);
          const d = v - p;
          dir = Math.sign(d);
          const abs = k.kind === 'money' ? fmtMoneyShort(Math.abs(d)) : fmtInt(Math.abs(d));
          delta = (d > 0 ? '+' : d < 0 ? L.minus : '±') + abs + (p > 0 ? ' (' + (d > 0 ? '+' : '') + fmtPct(d / p, 1) + ')' : '');
        }
      }
      tile.setAttribute('data-value', raw);
      $('.k-label', tile).textContent = t('k_' + k.id);
      $('.k-value', tile).textContent = has ? big : '—';
      const ex = $('.k-exact', tile);
      ex.textContent = exact || (k.kind === 'share' ? '' : '');
      const help = t('kh_' + k.id);
      tile.title = help.startsWith('kh_') ? '' : help;
      const dl = $('.k-delta', tile);
      dl.className = 'k-delta' + (k.bad && dir > 0 ? ' worse' : k.bad && dir < 0 ? ' better' : '');
      if (hasPrev) {
        const arrow = dir > 0 ? '▲ ' : dir < 0 ? '▼ ' : '= ';
        dl.textContent = arrow + delta + ' ' + t('vs_prev', monthDat(last - 1));
      } else dl.textContent = has ? t('no_prev') : '';
    });
  }

  /* ================================================================ loans table */

  function loanIsText(c) { return !LOAN_NUMERIC[c] && c !== 'dpd_bucket'; }

  /* Each column's ascending order of all rows (ties by row), made once per
   * column; a filter then only walks it. */
  const SORT_CACHE = new Map();
  function sortOrder(c) {
    let ord = SORT_CACHE.get(c);
    if (ord) return ord;
    const L2 = DATA.loans;
    ord = new Int32Array(L2.n);
    for (let i = 0; i < L2.n; i++) ord[i] = i;
    if (L2.num[c]) {
      const a = L2.num[c];
      ord.sort((x, y) => (a[x] - a[y]) || x - y);
    } else {
      /* lower case, ё as е, then code points: alphabetical for Russian and
       * English names and many times faster than a collator on 10^5 rows */
      const j = L2.cols.indexOf(c);
      const txt = L2.rows.map((r) => (r[j] === null || r[j] === undefined ? '' : String(r[j]).toLowerCase().replace(/ё/g, 'е')));
      ord.sort((x, y) => (txt[x] < txt[y] ? -1 : txt[x] > txt[y] ? 1 : x - y));
    }
    SORT_CACHE.set(c, ord);
    return ord;
  }

  /* The filtered rows in the current sort order (indexes into DATA.loans.rows). */
  function sortedLoans() {
    const idx = AGG.loans;
    const c = state.sortCol;
    if (!c) return idx;
    const ord = sortOrder(c);
    const keep = new Uint8Array(DATA.loans.n);
    for (const i of idx) keep[i] = 1;
    const out = [];
    if (state.sortDir > 0) { for (let r = 0; r < ord.length; r++) if (keep[ord[r]]) out.push(ord[r]); }
    else for (let r = ord.length - 1; r >= 0; r--) if (keep[ord[r]]) out.push(ord[r]);
    return out;
  }

  function renderLoans() {
    const L2 = DATA.loans;
    const table = $('#loans');
    const headRow = $('thead tr', table);
    /* head: a button per column; aria-sort on the sorted one */
    headRow.replaceChildren(...L2.cols.map((c) => {
      const label = t('c_' + c) === 'c_' + c ? c : t('c_' + c);
      const th = h('th', { scope: 'col', class: loanIsText(c) ? null : 'num' });
      if (state.sortCol === c) th.setAttribute('aria-sort', state.sortDir > 0 ? 'ascending' : 'descending');
      else if (!state.sortCol && c === 'arrears') th.setAttribute('aria-sort', 'descending');
      const btn = h('button', { type: 'button', 'data-col': c, title: t('sort_by', label), text: label });
      btn.addEventListener('click', () => {
        if (state.sortCol === c) state.sortDir = -state.sortDir;
        else { state.sortCol = c; state.sortDir = loanIsText(c) ? 1 : -1; }
        timed(() => renderLoans());
        const again = $('#loans thead button[data-col="' + c + '"]');
        if (again) again.focus();
      });
      th.append(btn, h('span', { class: 'print-only', text: label }));
      return th;
    }));

    const idx = sortedLoans();
    const shown = Math.min(idx.length, LOANS_SHOWN);
    const tbody = h('tbody');
    const frag = document.createDocumentFragment();
    for (let r = 0; r < shown; r++) {
      const row = L2.rows[idx[r]];
      const tr = document.createElement('tr');
      L2.cols.forEach((c, j) => {
        const td = document.createElement('td');
        const v = row[j];
        let text = v === null || v === undefined ? '' : String(v);
        if (LOAN_MONEY[c] && text !== '') {
          const kop = parseRoubles(text);
          if (Number.isFinite(kop)) text = fmtMoney(kop);
        } else if (c === 'dpd' && text !== '') text = fmtInt(Number(text));
        td.textContent = text === '' ? '—' : text;
        td.className = loanIsText(c) ? 'txt' : 'num';
        tr.appendChild(td);
      });
      frag.appendChild(tr);
    }
    tbody.appendChild(frag);
    table.replaceChild(tbody, $('tbody', table));

    /* notes: the limit, the real count from the aggregates, rows not shown */
    const last = DATA.months - 1;
    const real = last >= 0 ? mv(last, 'o') : 0;
    let note = '';
    if (L2.limit !== null) note = t('loans_limit', fmtInt(L2.limit), fmtInt(real), fmtInt(idx.length));
    else note = t('loans_count', fmtInt(real));
    if (idx.length === 0) note += ' ' + t('loans_none');
    $('#loans-note').textContent = note;
    $('#loans-more').textContent = idx.length > shown ? t('loans_shown', fmtInt(shown), fmtInt(idx.length)) : '';
    $('#loans-csv').disabled = idx.length === 0;
  }

  /* The filtered rows, in the table's order, as RFC 4180 CSV with a BOM
   * (Excel reads UTF-8 then).  Text cells that a spreadsheet would take
   * for a formula get a leading apostrophe. */
  function loansCsv() {
    const L2 = DATA.loans;
    const q = (v, c) => {
      let x = v === null || v === undefined ? '' : String(v);
      if (loanIsText(c) && /^[=+\-@\t\r]/.test(x)) x = '\'' + x;
      return /[",\r\n;]/.test(x) || /^\s|\s$/.test(x) ? '"' + x.replace(/"/g, '""') + '"' : x;
    };
    const lines = [L2.cols.join(',')];
    for (const i of sortedLoans()) lines.push(L2.rows[i].map((v, j) => q(v, L2.cols[j])).join(','));
    return '\ufeff' + lines.join('\r\n') + '\r\n';
  }

  function downloadCsv() {
    const blob = new Blob([loansCsv()], { type: 'text/csv;charset=utf-8' });
    const url = URL.createObjectURL(blob);
    const a = h('a', { href: url, download: csvName() });
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 30000);
  }
  function csvName() {
    let name = 'overdue-loans-' + (DATA.asOf || 'data');
    if (FILTER.buckets.length) name += '-' + FILTER.buckets.map((b) => BUCKETS[b]).join('_');
    if (FILTER.loRub !== null) name += '-min' + FILTER.loRub;
    if (FILTER.hiRub !== null) name += '-max' + FILTER.hiRub;
    return name + '.csv';
  }

  /* ================================================================ filter UI and URL */

  /* Reflect the state in the controls and in the filter texts. */
  function renderFilterUi() {
    for (const b of $$('button[data-bucket]')) b.setAttribute('aria-pressed', state.buckets.has(b.dataset.bucket) ? 'true' : 'false');
    const fmin = $('#f-min');
    const fmax = $('#f-max');
    if (fmin.value !== state.minText && document.activeElement !== fmin) fmin.value = state.minText;
    if (fmax.value !== state.maxText && document.activeElement !== fmax) fmax.value = state.maxText;
    fmin.setAttribute('aria-invalid', FILTER.badMin ? 'true' : 'false');
    fmax.setAttribute('aria-invalid', FILTER.badMax ? 'true' : 'false');
    for (const b of $$('button[data-lang]')) b.setAttribute('aria-pressed', b.dataset.lang === state.lang ? 'true' : 'false');
    for (const b of $$('button[data-measure]')) b.setAttribute('aria-pressed', b.dataset.measure === state.measure ? 'true' : 'false');

    const msgs = [];
    if (FILTER.badMin) msgs.push(t('invalid', state.minText));
    if (FILTER.badMax) msgs.push(t('invalid', state.maxText));
    if (FILTER.snapped) msgs.push(t('used', rangeText(FILTER)));
    if (FILTER.loKey > FILTER.hiKey) msgs.push(t('empty_range'));
    $('#f-used').textContent = msgs.join(' ');

    /* the filter in words (shown, and the only filter text in print) */
    const parts = [];
    if (FILTER.buckets.length) {
      parts.push(t(FILTER.buckets.length > 1 ? 'sum_buckets' : 'sum_bucket', FILTER.buckets.map((b) => t('b_' + BUCKETS[b])).join(', ')));
    }
    const rt = rangeText(FILTER);
    if (rt) parts.push(t('sum_range', rt));
    let sum = parts.length ? t('sum_prefix') + parts.join(t('sum_and')) : t('sum_all');
    if (DATA.months > 0) {
      const { i0, i1 } = period();
      if (i0 > 0 || i1 < DATA.months - 1) sum += t('sum_period', monthLong(i0) + ' – ' + monthLong(i1));
    }
    $('#filter-summary').textContent = sum + '.';
  }

  /* Fill the period selects (month names follow the language; rebuilt only
   * when it changes). */
  let PERIOD_LANG = '';
  function renderPeriodUi() {
    const { i0, i1 } = period();
    const fresh = PERIOD_LANG !== state.lang;
    PERIOD_LANG = state.lang;
    for (const [sel, cur] of [[$('#f-from'), i0], [$('#f-to'), i1]]) {
      if (fresh) {
        const opts = [];
        for (let i = 0; i < DATA.months; i++) opts.push(h('option', { value: monthIso(i), text: monthShort(i) }));
        sel.replaceChildren(...opts);
      }
      sel.value = DATA.months ? monthIso(cur) : '';
      sel.disabled = DATA.months < 2;
    }
    $('#f-from').closest('.period-bar').hidden = DATA.months < 2;
  }

  /* Read the state from location.hash.  The language and the chart options
   * always come from it; the filter only when the hash names one (bucket,
   * min or max; "#bucket=" is "no filter") - returns false otherwise, and
   * the data's init applies. */
  function readHash() {
    const raw = location.hash.replace(/^#/, '');
    const p = new URLSearchParams(raw);
    state.lang = p.get('lang') === 'en' ? 'en' : 'ru';
    state.from = p.get('from') || '';
    state.to = p.get('to') || '';
    state.measure = p.get('measure') === 'late' ? 'late' : 'share';
    if (!p.has('bucket') && !p.has('min') && !p.has('max')) return false;
    state.buckets = new Set((p.get('bucket') || '').split(',').map((x) => x.trim()).filter((x) => BUCKETS.includes(x)));
    state.minText = (p.get('min') || '').trim();
    state.maxText = (p.get('max') || '').trim();
    return true;
  }

  /* Does the data's init set a filter? */
  function initHasFilter() {
    const init = DATA.init || {};
    const b = Array.isArray(init.bucket) ? init.bucket.length : !!init.bucket;
    return !!(b || (init.min !== null && init.min !== undefined && init.min !== '') ||
      (init.max !== null && init.max !== undefined && init.max !== ''));
  }

  /* The data's init (from overdue-report's command line). */
  function applyInit() {
    const init = DATA.init || {};
    const b = Array.isArray(init.bucket) ? init.bucket : (init.bucket ? [init.bucket] : []);
    state.buckets = new Set(b.map(String).filter((x) => BUCKETS.includes(x)));
    state.minText = init.min === null || init.min === undefined ? '' : String(init.min);
    state.maxText = init.max === null || init.max === undefined ? '' : String(init.max);
  }

  /* Write the state into the fragment (replaceState: no history entry).
   * A filter that differs from the data's init is always spelled out, so a
   * cleared filter stays cleared on reload ("#bucket=" when init has one). */
  function writeHash() {
    const parts = [];
    if (state.buckets.size) parts.push('bucket=' + BUCKETS.filter((b) => state.buckets.has(b)).join(','));
    if (state.minText) parts.push('min=' + encodeURIComponent(state.minText));
    if (state.maxText) parts.push('max=' + encodeURIComponent(state.maxText));
    if (!parts.length && initHasFilter()) parts.push('bucket=');
    if (state.from) parts.push('from=' + state.from);
    if (state.to) parts.push('to=' + state.to);
    if (state.measure === 'late') parts.push('measure=late');
    if (state.lang === 'en') parts.push('lang=en');
    if (!parts.length) parts.push('lang=ru');
    const hash = '#' + parts.join('&');
    if (location.hash !== hash) history.replaceState(null, '', hash);
  }

  /* Static labels (data-i18n) and the document language. */
  function renderStatic() {
    ROOT.lang = state.lang;
    L = FMT[state.lang];
    for (const e of $$('[data-i18n]')) e.textContent = t(e.getAttribute('data-i18n'));
    for (const e of $$('[data-i18n-aria]')) e.setAttribute('aria-label', t(e.getAttribute('data-i18n-aria')));
    document.title = t('title') + (DATA && DATA.asOf ? ' — ' + dateLong(DATA.asOf) : '');
    if (DATA) {
      $('#meta').textContent = t('meta', dateLong(DATA.asOf), DATA.builtAt);
    }
  }

  /* ================================================================ rendering */

  /* The charts' widths, measured once (a forced layout costs more than the
   * drawing) and again after a resize. */
  let WIDTHS = null;
  function chartWidths() {
    if (WIDTHS) return WIDTHS;
    const w = (sel) => { const e = $(sel); return e ? e.clientWidth : 600; };
    WIDTHS = {
      share: w('#c-share .chart'), buckets: w('#c-buckets .chart'), par: w('#c-par .chart'),
      cure: w('#c-cure .chart'), vintage: w('#c-vintage .chart'),
      attrs: (ensureAttrCards(), $$('#attrs .chart').map((e) => e.clientWidth))
    };
    return WIDTHS;
  }

  /* Every chart, for the current aggregates. */
  function renderCharts() {
    if (DATA.months === 0) return;
    const widths = chartWidths();
    renderShare(widths.share || 900);
    renderBuckets(widths.buckets || 600);
    renderPar(widths.par || 600);
    renderCure(widths.cure || 600);
    renderVintage(widths.vintage || 600);
    renderRoll();
    renderAttrs(widths.attrs.length ? widths.attrs : DATA.attrs.map(() => 400));
  }

  /* Recompute for the current filter (when it changed) and draw everything. */
  let AGG_KEY = '';
  function renderAll() {
    FILTER = resolveFilter();
    const key = FILTER.buckets.join(',') + '|' + FILTER.loKey + '|' + FILTER.hiKey;
    if (!AGG || key !== AGG_KEY) {
      AGG = aggregate(buildMask(FILTER));
      AGG_KEY = key;
    }
    renderStatic();
    renderFilterUi();
    renderPeriodUi();
    renderKpis();
    if (DATA.months === 0) {
      $('#nodata').hidden = false;
      for (const e of $$('#main > section.card, #main > .grid2, #main > .attr-block')) e.hidden = true;
      renderLoans();
      return;
    }
    renderCharts();
    renderLoans();
  }

  /* Run fn, record its time in data-filter-ms. */
  function timed(fn) {
    const t0 = performance.now();
    fn();
    ROOT.setAttribute('data-filter-ms', (performance.now() - t0).toFixed(1));
  }

  /* A control changed: new state -> URL -> page. */
  function changed(fn) {
    fn();
    writeHash();
    timed(renderAll);
  }

  function wireControls() {
    for (const b of $$('button[data-bucket]')) {
      b.addEventListener('click', () => changed(() => {
        const x = b.dataset.bucket;
        if (state.buckets.has(x)) state.buckets.delete(x);
        else state.buckets.add(x);
      }));
    }
    for (const [id, key] of [['#f-min', 'minText'], ['#f-max', 'maxText']]) {
      const inp = $(id);
      const onInput = () => {
        const v = inp.value.trim();
        if (v === state[key]) return;
        changed(() => { state[key] = v; });
      };
      inp.addEventListener('input', onInput);
      inp.addEventListener('change', onInput);
    }
    $('#f-reset').addEventListener('click', () => changed(() => {
      state.buckets.clear();
      state.minText = '';
      state.maxText = '';
      state.from = '';
      state.to = '';
      $('#f-min').value = '';
      $('#f-max').value = '';
    }));
    for (const [id, key] of [['#f-from', 'from'], ['#f-to', 'to']]) {
      $(id).addEventListener('change', (ev) => changed(() => {
        const i = monthIndex(ev.target.value);
        /* the first / last month need no fragment entry */
        state[key] = (key === 'from' && i === 0) || (key === 'to' && i === DATA.months - 1) ? '' : ev.target.value;
      }));
    }
    for (const b of $$('button[data-lang]')) {
      b.addEventListener('click', () => changed(() => { state.lang = b.dataset.lang === 'en' ? 'en' : 'ru'; }));
    }
    for (const b of $$('button[data-measure]')) {
      b.addEventListener('click', () => changed(() => { state.measure = b.dataset.measure === 'late' ? 'late' : 'share'; }));
    }
    $('#loans-csv').addEventListener('click', downloadCsv);
    window.addEventListener('hashchange', () => {
      if (!readHash()) applyInit();
      timed(renderAll);
    });
    /* print: draw the charts for the paper's width (A4 portrait, one column;
     * the attributes two a row), then back for the screen */
    const forPrint = (on) => {
      if (!DATA || DATA.months === 0) return;
      WIDTHS = on ? {
        share: PRINT_W, buckets: PRINT_W, par: PRINT_W, cure: PRINT_W, vintage: PRINT_W,
        attrs: DATA.attrs.map(() => Math.floor(PRINT_W / 2) - 30)
      } : null;
      renderCharts();
    };
    window.addEventListener('beforeprint', () => forPrint(true));
    window.addEventListener('afterprint', () => forPrint(false));
    /* charts are drawn for their width: redraw after a resize */
    let pending = 0;
    let lastW = window.innerWidth;
    window.addEventListener('resize', () => {
      if (window.innerWidth === lastW) return;
      lastW = window.innerWidth;
      clearTimeout(pending);
      pending = setTimeout(() => { WIDTHS = null; renderCharts(); }, 150);
    });
  }

  /* ================================================================ start */

  async function main() {
    readHash();              /* the language first, for the messages */
    renderStatic();
    const raw = await loadData();
    DATA = prepare(raw);
    if (!readHash()) applyInit();
    wireControls();
    renderAll();
    $('#loading').hidden = true;
    ROOT.setAttribute('data-render-ms', (performance.now() - T0).toFixed(1));
    ROOT.setAttribute('data-filter-ms', ROOT.getAttribute('data-filter-ms') || '0');
    ROOT.setAttribute('data-ready', '1');
  }

  main().catch((e) => fail(e && e.message ? e.message : String(e)));
})();
