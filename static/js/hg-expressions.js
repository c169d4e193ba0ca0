/*
 * HowGood questionnaire expressions: browser evaluator.
 *
 * Evaluates the JSON AST made by howgood/questionnaires/expressions.py
 * to_json() with exactly the semantics documented there (the Python module
 * docstring is the specification; keep both files in step).
 *
 *   HowGood.expressions.evaluate(ast, answers, current, today) -> boolean
 *   HowGood.expressions.value(ast, answers, current, today) -> number|string|boolean
 *
 * answers: plain object, name -> string | number | string[] | boolean | null
 * (form controls give strings; dates as 'YYYY-MM-DD'; multi-selects as arrays).
 * current: the value of '.'. today: 'YYYY-MM-DD' string or Date (default:
 * the browser's local date). No eval, no dependencies, ES2017.
 */
(function (root) {
  'use strict';

  var NUM = /^[ \t\n\r]*(-?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+))[ \t\n\r]*$/;
  var DATE = /^[ \t\n\r]*([0-9]{4})-([0-9]{2})-([0-9]{2})[ \t\n\r]*$/;
  var EXP = /^(-?)([0-9]+)(?:\.([0-9]+))?e([+-][0-9]+)$/;
  var SPLIT = /[ \t\n\r]+/;
  var TRIM = /^[ \t\n\r]+|[ \t\n\r]+$/g;
  var has = Object.prototype.hasOwnProperty;

  function plain(s) { // '1.5e-7' -> '0.00000015'
    var m = EXP.exec(s);
    if (!m) return s;
    var digits = m[2] + (m[3] || ''), point = m[2].length + parseInt(m[4], 10);
    if (point <= 0) return m[1] + '0.' + '0'.repeat(-point) + digits;
    if (point >= digits.length) return m[1] + digits + '0'.repeat(point - digits.length);
    return m[1] + digits.slice(0, point) + '.' + digits.slice(point);
  }

  function numStr(x) {
    if (x !== x) return 'NaN';
    if (x === Infinity) return 'Infinity';
    if (x === -Infinity) return '-Infinity';
    if (x === 0) return '0';
    return plain(String(x));
  }

  function dateDays(y, m, d) { // days since 1970-01-01, NaN if not a real date
    var leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
    var dim = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1];
    if (y < 1 || !dim || d < 1 || d > dim) return NaN;
    var yy = m <= 2 ? y - 1 : y, era = Math.floor(yy / 400), yoe = yy - era * 400;
    var doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
    return era * 146097 + yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy - 719468;
  }

  function strToNum(s) {
    var m = NUM.exec(s);
    if (m) return Number(m[1]);
    m = DATE.exec(s);
    return m ? dateDays(+m[1], +m[2], +m[3]) : NaN;
  }

  function toNum(v) {
    if (typeof v === 'number') return v;
    if (typeof v === 'boolean') return v ? 1 : 0;
    return strToNum(v);
  }

  function toStr(v) {
    if (typeof v === 'number') return numStr(v);
    if (typeof v === 'boolean') return v ? 'true' : 'false';
    return v;
  }

  function toBool(v) {
    if (typeof v === 'boolean') return v;
    if (typeof v === 'number') return v !== 0 && v === v;
    return v !== '';
  }

  function answerStr(a) {
    if (a === null || a === undefined) return '';
    if (typeof a === 'string') return a;
    if (typeof a === 'boolean') return a ? 'true' : 'false';
    if (typeof a === 'number') return numStr(a);
    if (Array.isArray(a)) return a.map(answerStr).filter(function (s) { return s !== ''; }).join(' ');
    return String(a);
  }

  function answerValue(a) {
    return typeof a === 'boolean' ? a : answerStr(a);
  }

  function pad(n, w) {
    var s = String(n);
    return s.length >= w ? s : '0'.repeat(w - s.length) + s;
  }

  function todayStr(today) {
    if (typeof today === 'string') return today;
    var d = today instanceof Date ? today : new Date();
    return pad(d.getFullYear(), 4) + '-' + pad(d.getMonth() + 1, 2) + '-' + pad(d.getDate(), 2);
  }

  function equals(a, b) {
    if (typeof a === 'boolean' || typeof b === 'boolean') return toBool(a) === toBool(b);
    var an = typeof a === 'number', bn = typeof b === 'number';
    if (an && bn) return a === b;
    if (an || bn) {
      var other = toNum(an ? b : a);
      if (other === other) return (an ? a : b) === other; // other side is a number
    }
    return toStr(a) === toStr(b);
  }

  function div(x, y) { return x / y; } // IEEE, like the Python _div
  function mod(x, y) { return x % y; } // sign of the dividend, like math.fmod

  function increment(h) {
    var a = h.split(''), i = a.length - 1;
    while (i >= 0 && a[i] === '9') { a[i] = '0'; i--; }
    if (i < 0) return '1' + a.join('');
    a[i] = String(+a[i] + 1);
    return a.join('');
  }

  function round(x, places) { // half away from zero on the shortest decimal text
    if (places !== places) return NaN;
    if (!isFinite(x)) return x;
    var k = Math.trunc(Math.max(-400, Math.min(400, places)));
    var s = numStr(x), sign = s.charAt(0) === '-' ? '-' : '';
    if (sign) s = s.slice(1);
    var dot = s.indexOf('.'), whole = dot < 0 ? s : s.slice(0, dot);
    var digits = whole + (dot < 0 ? '' : s.slice(dot + 1)), keep = whole.length + k;
    if (keep < 0) return sign ? -0 : 0;
    if (keep >= digits.length) return x;
    var head = digits.slice(0, keep);
    if (digits.charAt(keep) >= '5') head = increment(head);
    return Number(sign + (head || '0') + 'e' + (whole.length - keep));
  }

  function tokens(v) {
    return toStr(v).split(SPLIT).filter(function (t) { return t !== ''; });
  }

  function call(n, ctx) {
    var name = n[1], args = n.slice(2);
    switch (name) {
      case 'true': return true;
      case 'false': return false;
      case 'today': return todayStr(ctx.today);
      case 'if': return ev(toBool(ev(args[0], ctx)) ? args[1] : args[2], ctx);
      case 'coalesce':
        var first = ev(args[0], ctx);
        return toStr(first) !== '' ? first : ev(args[1], ctx);
    }
    var v = args.map(function (a) { return ev(a, ctx); });
    switch (name) {
      case 'concat': return v.map(toStr).join('');
      case 'not': return !toBool(v[0]);
      case 'boolean': return toBool(v[0]);
      case 'number': return toNum(v[0]);
      case 'string': return toStr(v[0]);
      case 'int': return Math.trunc(toNum(v[0]));
      case 'round': return round(toNum(v[0]), v.length > 1 ? toNum(v[1]) : 0);
      case 'string-length': return Array.from(toStr(v[0])).length;
      case 'count-selected': return tokens(v[0]).length;
      case 'selected': return tokens(v[0]).indexOf(toStr(v[1]).replace(TRIM, '')) >= 0;
      case 'contains': return toStr(v[0]).indexOf(toStr(v[1])) >= 0;
      case 'starts-with': return toStr(v[0]).startsWith(toStr(v[1]));
    }
    throw new Error('HowGood.expressions: unknown function ' + name);
  }

  function ev(n, ctx) {
    if (typeof n === 'number' || typeof n === 'string') return n;
    var op = n[0];
    switch (op) {
      case '$': return answerValue(has.call(ctx.answers, n[1]) ? ctx.answers[n[1]] : null);
      case '.': return answerValue(ctx.current);
      case 'neg': return -toNum(ev(n[1], ctx));
      case 'fn': return call(n, ctx);
      case 'or': return toBool(ev(n[1], ctx)) || toBool(ev(n[2], ctx));
      case 'and': return toBool(ev(n[1], ctx)) && toBool(ev(n[2], ctx));
    }
    var a = ev(n[1], ctx), b = ev(n[2], ctx);
    if (op === '=') return equals(a, b);
    if (op === '!=') return !equals(a, b);
    var x = toNum(a), y = toNum(b);
    switch (op) {
      case '<': return x < y;
      case '<=': return x <= y;
      case '>': return x > y;
      case '>=': return x >= y;
      case '+': return x + y;
      case '-': return x - y;
      case '*': return x * y;
      case 'div': return div(x, y);
      case 'mod': return mod(x, y);
    }
    throw new Error('HowGood.expressions: unknown operator ' + op);
  }

  function value(ast, answers, current, today) {
    return ev(ast, { answers: answers || {}, current: current, today: today });
  }

  root.HowGood = root.HowGood || {};
  root.HowGood.expressions = {
    value: value,
    evaluate: function (ast, answers, current, today) {
      return toBool(value(ast, answers, current, today));
    }
  };
})(typeof window !== 'undefined' ? window : this);
