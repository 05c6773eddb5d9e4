import { Menu, type MenuItemConstructorOptions } from 'electron';

/** The usual menus with the usual shortcuts, plus the app's own "Add files" and "Add folder". */
export function applicationMenu(actions: {
  addFiles: () => void;
  addFolder: () => void;
  installCommandLineTool: () => void;
}): Menu {
  const mac = process.platform === 'darwin';
  const template: MenuItemConstructorOptions[] = [
    ...(mac
      ? [
          {
            role: 'appMenu',
            submenu: [
              { role: 'about' },
              { type: 'separator' },
              // Windows' installer and the Linux packages put the command on the PATH themselves.
              { label: 'Install Command Line Tool…', click: actions.installCommandLineTool },
              { type: 'separator' },
              { role: 'services' },
              { type: 'separator' },
              { role: 'hide' },
              { role: 'hideOthers' },
              { role: 'unhide' },
              { type: 'separator' },
              { role: 'quit' },
            ],
          } as MenuItemConstructorOptions,
        ]
      : []),
    {
      label: 'File',
      submenu: [
        { label: 'Add Files…', accelerator: 'CmdOrCtrl+O', click: actions.addFiles },
        { label: 'Add Folder…', accelerator: 'CmdOrCtrl+Shift+O', click: actions.addFolder },
        { type: 'separator' },
        mac ? { role: 'close' } : { role: 'quit' },
      ],
    },
    { role: 'editMenu' },
    {
      label: 'View',
      submenu: [
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' },
      ],
    },
    { role: 'windowMenu' },
  ];
  return Menu.buildFromTemplate(template);
}
