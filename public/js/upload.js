// Upload progress (progressive enhancement): the form posts normally without JavaScript.
// With it, the same multipart request is sent by XMLHttpRequest so a progress bar can follow it;
// the server's answer (a redirect to the document, or the form with its messages) is then shown.
(function () {
  if (!window.XMLHttpRequest || !window.FormData) return;
  var forms = document.querySelectorAll('form[data-upload-progress]');
  Array.prototype.forEach.call(forms, function (form) {
    form.addEventListener('submit', function (e) {
      var input = form.querySelector('input[type=file]');
      if (!input || !input.files || input.files.length === 0) return; // let the server say what is missing
      e.preventDefault();
      var box = form.querySelector('.upload-progress');
      var bar = box.querySelector('progress');
      var status = box.querySelector('[role=status]');
      var button = form.querySelector('button[type=submit]');
      box.hidden = false;
      button.disabled = true;
      var xhr = new XMLHttpRequest();
      xhr.open('POST', form.action);
      xhr.upload.addEventListener('progress', function (ev) {
        if (!ev.lengthComputable) return;
        var p = Math.floor((ev.loaded / ev.total) * 100);
        bar.value = p;
        status.textContent = status.getAttribute('data-progress').replace('{p}', String(p));
      });
      xhr.upload.addEventListener('load', function () {
        bar.removeAttribute('value'); // indeterminate while the server checks and stores
        status.textContent = status.getAttribute('data-processing');
      });
      xhr.addEventListener('load', function () {
        var target = xhr.responseURL;
        if (xhr.status >= 200 && xhr.status < 300 && target && target !== form.action) {
          window.location.assign(target);
          return;
        }
        // A refused upload: show the page the server answered (the form with its messages).
        document.open();
        document.write(xhr.responseText);
        document.close();
      });
      xhr.addEventListener('error', function () {
        button.disabled = false;
        status.textContent = status.getAttribute('data-failed');
      });
      xhr.send(new FormData(form));
    });
  });
})();
