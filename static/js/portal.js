// Social media guidance portal: starts GOV.UK Frontend.
//
// Loaded as <script type="module" src="{% static 'js/portal.js' %}">.
// Module scripts are deferred, so <body> exists when this runs, and browsers
// without ES module support never run it (they get the no-JS experience,
// which is what GOV.UK Frontend expects).
//
// GOV.UK's template normally adds `govuk-frontend-supported` with an inline
// script; our Content Security Policy forbids inline scripts, so it is done
// here, before initAll() (which checks for the class).
import { initAll } from "./govuk-frontend.min.js";

document.body.classList.add("govuk-frontend-supported");
initAll();
