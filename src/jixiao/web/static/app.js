/* jixiao pages: small progressive enhancements. Everything works without them except live checks. */
(function () {
  "use strict";

  function onReady(fn) {
    /* deferred scripts run while readyState is "interactive": wait for all of them (ECharts too) */
    if (document.readyState === "complete") fn(); else document.addEventListener("DOMContentLoaded", fn);
  }

  /* ---- editor: rows, catalogue, weights, unsaved changes, local backup ---- */
  function setupEditor(form) {
    var key = form.dataset.storageKey;
    var catalogue = JSON.parse(form.dataset.catalogue || "{}");
    var goal = parseFloat(form.dataset.weightGoal || "90");
    var body = document.getElementById("indicator-rows");
    var template = document.getElementById("row-template");
    var dirty = false;
    var submitting = false;

    function snapshot() {
      var data = {};
      new FormData(form).forEach(function (value, name) {
        if (name === "csrf_token" || name === "document") return;
        (data[name] = data[name] || []).push(value);
      });
      return data;
    }

    function renumber() {
      Array.prototype.forEach.call(body.rows, function (row, index) {
        row.querySelectorAll("[id]").forEach(function (el) {
          var old = el.id;
          el.id = old.replace(/^row-[^-]+-/, "row-" + index + "-");
          var label = row.querySelector('label[for="' + old + '"]');
          if (label) label.htmlFor = el.id;
        });
      });
    }

    function fillLevel2(row) {
      var level1 = row.querySelector("select.level1").value;
      var select = row.querySelector("select.level2");
      var current = select.value;
      var choices = catalogue[level1] || [];
      select.innerHTML = "";
      select.appendChild(new Option("", ""));
      choices.forEach(function (name) { select.appendChild(new Option(name, name, false, name === current)); });
      if (current && choices.indexOf(current) < 0) select.appendChild(new Option(current, current, false, true));
    }

    /* Row defaults: the direction follows the operator (the mapping comes from the domain model), and
       本年指标值/本年权重 follow 指标值/权重 — each only while it is empty or was filled this way. */
    var directions = JSON.parse(form.querySelector("table.edit-rows").dataset.directions || "{}");
    var FOLLOWS = {target: "current_target", weight: "current_weight"};
    function follow(el, value) {
      if (!el || (el.value && !el.dataset.auto)) return;
      el.value = value;
      if (value) { el.dataset.auto = "1"; el.title = "已自动填入，可修改"; } else { delete el.dataset.auto; el.title = ""; }
    }
    function defaultDirection(row) {
      var select = row.querySelector("select.direction");
      follow(select, directions[row.querySelector("select.operator").value] || "");
    }

    function total() {
      var sum = 0;
      form.querySelectorAll("input.weight").forEach(function (input) {
        var value = parseFloat((input.value || "").replace(/[０-９．]/g, function (c) {
          return String.fromCharCode(c.charCodeAt(0) - 0xFEE0);
        }));
        if (!isNaN(value)) sum += value;
      });
      var out = document.getElementById("weight-total");
      out.textContent = Math.round(sum * 100) / 100;
      var state = document.getElementById("weight-state");
      state.textContent = Math.abs(sum - goal) < 1e-9 ? "✓ 合计正确" : "（应为 " + goal + "）";
      state.className = Math.abs(sum - goal) < 1e-9 ? "ok-text" : "error-text";
    }

    function changed() {
      dirty = true;
      total();
      try { localStorage.setItem(key, JSON.stringify({at: Date.now(), data: snapshot()})); } catch (e) { /* full */ }
    }

    function rowsChanged() {
      renumber();
      changed();
      form.dispatchEvent(new Event("rows-changed"));
    }

    /* A suggestion from the indicator library chosen: its name, levels, unit, operator and direction fill the row
       (a field already filled by hand is kept, except the name); the suggestions close. */
    function useLibraryEntry(row, item) {
      var fields = {name: "name", level1: "level1", level2: "level2", unit_of_measure: "unit",
                    operator: "operator", direction: "direction"};
      Object.keys(fields).forEach(function (name) {
        var el = row.querySelector('[name="' + name + '"]');
        var value = item.dataset[fields[name]] || "";
        if (!el || !value || (name !== "name" && el.value)) return;
        if (el.tagName === "SELECT" && !Array.prototype.some.call(el.options, function (o) { return o.value === value; })) {
          el.appendChild(new Option(value, value));
        }
        el.value = value;
        if (name === "level1") fillLevel2(row);
      });
      var box = row.querySelector(".library-suggest-box");
      if (box) box.innerHTML = "";
      changed();
      form.dispatchEvent(new Event("rows-changed"));
      row.querySelector('[name="target"]').focus();
    }

    function addRow(values) {
      var row = template.content.firstElementChild.cloneNode(true);
      body.appendChild(row);
      if (window.htmx) window.htmx.process(row);  /* the name cell asks the indicator library (htmx) */
      if (values) {
        Object.keys(values).forEach(function (name) {
          var el = row.querySelector('[name="' + name + '"]');
          if (!el) return;
          if (el.tagName === "SELECT" && values[name] &&
              !Array.prototype.some.call(el.options, function (o) { return o.value === values[name]; })) {
            el.appendChild(new Option(values[name], values[name]));
          }
          el.value = values[name];
          if (name === "level1") fillLevel2(row);
        });
      }
      return row;
    }

    function restore(saved) {
      var data = saved.data;
      Object.keys(data).forEach(function (name) {
        var el = form.elements.namedItem(name);
        if (el && !(el instanceof RadioNodeList) && el.closest && !el.closest("#indicator-rows")) el.value = data[name][0];
      });
      var count = (data.name || []).length;
      while (body.rows.length) body.deleteRow(0);
      for (var i = 0; i < count; i++) {
        var values = {};
        ["level1", "level2", "name", "operator", "history", "target", "current_target", "unit_of_measure",
         "weight", "current_weight", "direction"].forEach(function (n) { values[n] = (data[n] || [])[i] || ""; });
        addRow(values);
      }
      renumber();
      total();
      dirty = true;
      document.getElementById("restored").hidden = false;
      form.dispatchEvent(new Event("rows-changed"));
    }

    body.addEventListener("click", function (event) {
      var button = event.target.closest("button");
      if (!button) return;
      var row = button.closest("tr");
      if (button.classList.contains("library-use")) { useLibraryEntry(row, button.closest("li")); return; }
      if (button.classList.contains("remove-row")) row.remove();
      else if (button.classList.contains("move-up") && row.previousElementSibling) body.insertBefore(row, row.previousElementSibling);
      else if (button.classList.contains("move-down") && row.nextElementSibling) body.insertBefore(row.nextElementSibling, row);
      else return;
      rowsChanged();
      button.focus();
    });
    body.addEventListener("change", function (event) {
      if (event.target.matches("select.level1")) fillLevel2(event.target.closest("tr"));
      if (event.target.matches("select.operator")) defaultDirection(event.target.closest("tr"));
    });
    body.addEventListener("input", function (event) {
      var row = event.target.closest("tr");
      var follower = FOLLOWS[event.target.name];
      if (follower) follow(row.querySelector('[name="' + follower + '"]'), event.target.value);
      else if (event.target.dataset.auto) { delete event.target.dataset.auto; event.target.title = ""; }  /* by hand: kept */
    });
    document.getElementById("add-row").addEventListener("click", function () {
      var row = addRow(null);
      rowsChanged();
      row.querySelector("select").focus();
    });
    /* The table travels as one JSON field ("document"): a form field per cell would pass the server's
       field limit at about ninety rows. Without this script the plain fields are posted instead. */
    var KEPT = {csrf_token: true, version: true, document: true};
    var COLUMNS = ["level1", "level2", "name", "operator", "history", "target", "current_target",
                   "unit_of_measure", "weight", "current_weight", "direction"];
    function documentJson() {
      var header = {};
      Array.prototype.forEach.call(form.elements, function (el) {
        if (!el.name || KEPT[el.name] || (el.closest && el.closest("#indicator-rows"))) return;
        header[el.name] = el.value;
      });
      var rows = Array.prototype.map.call(body.rows, function (row) {
        var values = {};
        COLUMNS.forEach(function (n) { var el = row.querySelector('[name="' + n + '"]'); values[n] = el ? el.value : ""; });
        return values;
      });
      return JSON.stringify({header: header, indicators: rows});
    }
    var held = [];
    function release() { held.forEach(function (el) { el.disabled = false; }); held = []; }
    form.addEventListener("htmx:configRequest", function (event) {
      if (event.detail.elt !== form) return;
      var data = event.detail.formData;
      Array.from(data.keys()).forEach(function (name) { if (!KEPT[name]) data.delete(name); });
      data.set("document", documentJson());
    });
    form.addEventListener("input", changed);
    form.addEventListener("change", changed);
    form.addEventListener("submit", function () {
      submitting = true;
      form.elements.namedItem("document").value = documentJson();
      Array.prototype.forEach.call(form.elements, function (el) {
        if (el.name && !KEPT[el.name] && !el.disabled) { el.disabled = true; held.push(el); }
      });
    });
    window.addEventListener("pageshow", release);  /* back to this page: the fields are editable again */
    window.addEventListener("beforeunload", function (event) {
      if (dirty && !submitting) { event.preventDefault(); event.returnValue = ""; }
    });
    document.getElementById("discard-restored").addEventListener("click", function () {
      localStorage.removeItem(key);
      dirty = false;
      window.location.reload();
    });
    var saved = null;
    try { saved = JSON.parse(localStorage.getItem(key) || "null"); } catch (e) { saved = null; }
    var refused = document.getElementById("save-error");
    if (saved && saved.data && (!refused || refused.hasAttribute("data-restore-local"))) restore(saved);
    total();
  }

  /* ---- after a successful save, the local backup of that project is no longer needed ---- */
  function clearBackups() {
    var params = new URLSearchParams(window.location.search);
    var match = window.location.pathname.match(/^\/projects\/([^/]+)$/);
    if (!match || params.get("saved") !== "1") return;
    var prefix = "jixiao-draft-" + decodeURIComponent(match[1]) + "-";
    for (var i = localStorage.length - 1; i >= 0; i--) {
      var k = localStorage.key(i);
      if (k && k.indexOf(prefix) === 0) localStorage.removeItem(k);
    }
  }

  /* ---- upload progress ---- */
  function setupImport(form) {
    var bar = document.getElementById("upload-progress");
    form.addEventListener("htmx:xhr:progress", function (event) {
      if (!event.detail.lengthComputable) return;
      bar.hidden = false;
      bar.value = Math.round(event.detail.loaded / event.detail.total * 100);
    });
    form.addEventListener("htmx:beforeRequest", function () { bar.hidden = false; bar.value = 0; });
    form.addEventListener("htmx:afterRequest", function () { bar.value = 100; });
    form.addEventListener("htmx:beforeSwap", function (event) {  /* a refusal (403) is shown, not dropped */
      if (event.detail.xhr.status === 403) { event.detail.shouldSwap = true; event.detail.isError = false; }
    });
  }

  /* ---- overview charts (ECharts, vendored) ---- */
  function setupCharts(source) {
    if (!window.echarts) return;
    var data = JSON.parse(source.textContent);
    function chart(id, option) {
      var el = document.getElementById(id);
      if (!el) return;
      var instance = window.echarts.init(el, null, {renderer: "svg"});
      instance.setOption(Object.assign({animation: false, tooltip: {}, textStyle: {fontFamily: "inherit"}}, option));
      window.addEventListener("resize", function () { instance.resize(); });
    }
    var departments = Object.keys(data.by_department);
    chart("chart-states", {
      legend: {top: 0}, grid: {left: 8, right: 8, top: 40, bottom: 8, containLabel: true},
      xAxis: {type: "value"}, yAxis: {type: "category", data: departments},
      series: data.states.map(function (s) {
        return {name: s.label, type: "bar", stack: "all",
                data: departments.map(function (d) { return data.by_department[d][s.value] || 0; })};
      })
    });
    var labels = JSON.parse(document.getElementById("category-labels").textContent);
    chart("chart-findings", {  /* names in the legend, counts inside the ring: no label is cut at the edge */
      legend: {bottom: 0, type: "scroll"},
      series: [{type: "pie", radius: ["35%", "65%"], center: ["50%", "45%"],
                label: {position: "inside", formatter: "{c}"}, labelLine: {show: false},
                data: Object.keys(data.finding_categories).map(function (k) {
                  return {name: labels[k] || k, value: data.finding_categories[k]};
                })}]
    });
    chart("chart-scores", {
      grid: {left: 8, right: 8, top: 16, bottom: 8, containLabel: true},
      xAxis: {type: "category", data: Object.keys(data.score_bands)}, yAxis: {type: "value", minInterval: 1},
      series: [{type: "bar", name: "自评项目数", data: Object.values(data.score_bands)}]
    });
    chart("chart-grades", {
      legend: {top: 0}, grid: {left: 8, right: 8, top: 40, bottom: 8, containLabel: true},
      xAxis: {type: "category", data: ["优", "良", "中", "差"]}, yAxis: {type: "value", minInterval: 1},
      series: [{type: "bar", name: "审核等级", data: Object.values(data.review_grades)},
               {type: "bar", name: "自评等级", data: Object.values(data.selfeval_grades)}]
    });
  }

  /* ---- each indicator's history on the project page: targets and actuals by year (the table has the figures) ---- */
  function setupHistory(source) {
    if (!window.echarts) return;
    var rows = JSON.parse(source.textContent);
    document.querySelectorAll(".history-chart").forEach(function (el) {
      var row = rows[Number(el.getAttribute("data-row"))];
      if (!row) return;
      function figures(key) { return row.years.map(function (y) { return y[key] === null ? null : Number(y[key]); }); }
      var instance = window.echarts.init(el, null, {renderer: "svg"});
      instance.setOption({animation: false, tooltip: {trigger: "axis"}, textStyle: {fontFamily: "inherit"},
        legend: {top: 0}, grid: {left: 8, right: 8, top: 32, bottom: 8, containLabel: true},
        xAxis: {type: "category", data: row.years.map(function (y) { return String(y.year); })},
        yAxis: {type: "value", scale: true},
        series: [{name: "目标", type: "line", data: figures("target"), connectNulls: false},
                 {name: "实际", type: "line", data: figures("actual"), connectNulls: false}]});
      window.addEventListener("resize", function () { instance.resize(); });
    });
  }

  /* ---- 统计分析: one chart per view, drawn from the same figures as the table below it ---- */
  function setupAnalytics(source) {
    if (!window.echarts) return;
    var spec = JSON.parse(source.textContent);
    var el = document.getElementById("analytics-chart");
    if (!el) return;
    function numbers(list) { return list.map(function (v) { return v === null ? null : Number(v); }); }
    var base = {animation: false, tooltip: {trigger: "axis", axisPointer: {type: "shadow"}}, textStyle: {fontFamily: "inherit"}};
    var option;
    if (spec.type === "stacked_bar" || spec.type === "bar") {
      var names = spec.categories.slice().reverse();  /* the first row of the table at the top */
      option = {legend: {top: 0, type: "scroll"}, grid: {left: 8, right: 24, top: 40, bottom: 32, containLabel: true},
        xAxis: {type: "value", name: spec.unit, nameLocation: "middle", nameGap: 28}, yAxis: {type: "category", data: names,
          axisLabel: {width: 180, overflow: "truncate"}},
        series: spec.series.map(function (s) {
          return {name: s.name, type: "bar", stack: spec.type === "stacked_bar" ? (s.stack || "all") : undefined,
                  data: numbers(s.data).reverse()};
        })};
    } else if (spec.type === "bubble") {
      var largest = Math.max.apply(null, spec.points.map(function (p) { return p[2]; }).concat([1]));
      option = {tooltip: {formatter: function (p) {
          return spec.y_name + " " + spec.y[p.value[1]] + "，" + spec.x_name + " " + spec.x[p.value[0]] + "：" + p.value[2] + " " + spec.unit; }},
        grid: {left: 8, right: 24, top: 24, bottom: 32, containLabel: true},
        xAxis: {type: "category", data: spec.x, name: spec.x_name, nameLocation: "middle", nameGap: 28},
        yAxis: {type: "category", data: spec.y, name: spec.y_name},
        series: [{type: "scatter", data: spec.points, label: {show: true, formatter: function (p) { return p.value[2]; }},
                  symbolSize: function (v) { return 12 + 40 * Math.sqrt(v[2] / largest); }}]};
    } else if (spec.type === "trend") {
      option = {legend: {top: 0, type: "scroll"}, grid: {left: 8, right: 8, top: 40, bottom: 8, containLabel: true},
        xAxis: {type: "category", data: spec.categories},
        yAxis: [{type: "value", name: "万元"}, {type: "value", name: "分 / %", min: 0}],
        series: [{name: spec.bars.name, type: "bar", data: numbers(spec.bars.data)}].concat(spec.lines.map(function (l) {
          return {name: l.name, type: "line", yAxisIndex: 1, data: numbers(l.data), connectNulls: false};
        }))};
    }
    if (!option) return;
    var instance = window.echarts.init(el, null, {renderer: "svg"});
    instance.setOption(Object.assign(base, option));
    window.addEventListener("resize", function () { instance.resize(); });
  }

  /* ---- batch work on the project list: "select all on this page" and the count of ticked tables ---- */
  function setupBatch(form) {
    function picks() { return document.querySelectorAll('input[name="codes"][form="batch-form"]'); }
    function count() {
      var ticked = Array.prototype.filter.call(picks(), function (box) { return box.checked; }).length;
      document.getElementById("picked").textContent = ticked ? "已选 " + ticked + " 张：" : "";
      document.getElementById("pick-all-box").hidden = !picks().length;
      document.getElementById("pick-all").checked = ticked > 0 && ticked === picks().length;
    }
    document.addEventListener("change", function (event) {
      if (event.target.id === "pick-all") {
        picks().forEach(function (box) { box.checked = event.target.checked; });
      }
      if (event.target.id === "pick-all" || event.target.name === "codes") count();
    });
    document.body.addEventListener("htmx:afterSettle", count);  /* the rows were reloaded: none is ticked */
    count();
  }

  onReady(function () {
    var editor = document.getElementById("editor");
    if (editor) setupEditor(editor);
    var upload = document.getElementById("import-form");
    if (upload) setupImport(upload);
    var overview = document.getElementById("overview-data");
    if (overview) setupCharts(overview);
    var history = document.getElementById("history-data");
    if (history) setupHistory(history);
    var analytics = document.getElementById("analytics-data");
    if (analytics) setupAnalytics(analytics);
    document.querySelectorAll("button.print-page").forEach(function (button) {
      button.addEventListener("click", function () { window.print(); });  /* the print stylesheet in app.css */
    });
    var batch = document.getElementById("batch-form");
    if (batch) setupBatch(batch);
    clearBackups();
  });
})();
